using TusCluster.Protocol.Uploads;

namespace TusCluster.Sweeping.Tests;

/// <summary>The sweeper never deletes an upload a request holds; a write since indexing keeps the upload.</summary>
public sealed class ConcurrentWriterTests(CoordinationServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(SweepBackends.All), MemberType = typeof(SweepBackends))]
    public async Task A_writer_that_commits_when_asked_to_hand_over_keeps_its_upload(string backend)
    {
        await using var env = await SweepEnvironment.CreateAsync(servers, backend);
        var upload = await env.SeedAsync(100, env.Clock.GetUtcNow().AddSeconds(-1));

        // The writer holds the lease, as a PATCH does; asked to hand over it commits what it has (with a
        // fresh expiry, as the engine does) and releases.
        var lease = await env.Coordination.AcquireAsync(upload.Id, TimeSpan.FromSeconds(5), Ct);
        var writer = Task.Run(
            async () =>
            {
                await using (lease)
                {
                    await WaitAsync(lease.HandOverRequested);
                    await lease.CommitAsync(upload with { Offset = upload.Offset, ExpiresAt = env.Clock.GetUtcNow().AddHours(1) }, CancellationToken.None);
                }
            },
            Ct);

        var report = await env.Pass.RunAsync(Ct);
        await writer;

        Assert.Equal(0, report.Reclaimed);
        Assert.True(env.HasBytes(upload.Id));
        var record = await env.Coordination.GetAsync(upload.Id, Ct);
        Assert.Equal(UploadStatus.Active, record?.Status);
        Assert.True(record?.ExpiresAt > env.Clock.GetUtcNow());
    }

    [Theory]
    [MemberData(nameof(SweepBackends.All), MemberType = typeof(SweepBackends))]
    public async Task An_upload_whose_lease_stays_held_is_left_for_a_later_pass(string backend)
    {
        await using var env = await SweepEnvironment.CreateAsync(servers, backend, ("Tus:LockAcquireTimeout", "00:00:00.300"));
        var upload = await env.SeedAsync(100, env.Clock.GetUtcNow().AddSeconds(-1));
        var other = await env.SeedAsync(100, env.Clock.GetUtcNow().AddSeconds(-2));

        SweepReport held;
        await using (await env.Coordination.AcquireAsync(upload.Id, TimeSpan.FromSeconds(5), Ct))
        {
            held = await env.Pass.RunAsync(Ct);
            Assert.True(env.HasBytes(upload.Id));
            Assert.Equal(UploadStatus.Active, (await env.Coordination.GetAsync(upload.Id, Ct))?.Status);
        }

        Assert.Equal(1, held.Busy);
        Assert.Equal(1, held.Reclaimed);
        Assert.False(env.HasBytes(other.Id));

        var later = await env.Pass.RunAsync(Ct);
        Assert.Equal(1, later.Reclaimed);
        Assert.False(env.HasBytes(upload.Id));
    }

    private static async Task WaitAsync(CancellationToken token)
    {
        var signalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = token.Register(() => signalled.TrySetResult());
        await signalled.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }
}
