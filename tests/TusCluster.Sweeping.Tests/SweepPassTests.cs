using Microsoft.Extensions.DependencyInjection;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Sweeping.Tests;

/// <summary>What one pass reclaims and what it leaves, on every coordination backend and the file store.</summary>
public sealed class SweepPassTests(CoordinationServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(SweepBackends.All), MemberType = typeof(SweepBackends))]
    public async Task Expired_partial_uploads_lose_their_bytes_and_answer_as_expired_tombstones(string backend)
    {
        await using var env = await SweepEnvironment.CreateAsync(servers, backend);
        var now = env.Clock.GetUtcNow();
        var expired = await env.SeedAsync(300, now.AddMinutes(-5));
        var empty = await env.SeedAsync(0, now.AddMinutes(-1));

        var report = await env.Pass.RunAsync(Ct);

        Assert.Equal(2, report.Reclaimed);
        Assert.Equal(300, report.BytesReclaimed);
        foreach (var upload in new[] { expired, empty })
        {
            Assert.False(env.HasBytes(upload.Id));
            var tombstone = await env.Coordination.GetAsync(upload.Id, Ct);
            Assert.Equal(UploadStatus.Expired, tombstone?.Status);
            Assert.Null(tombstone?.StoreState);
        }

        Assert.Empty(await env.Coordination.ReadExpiredAsync(env.Clock.GetUtcNow(), 10, Ct));
    }

    [Theory]
    [MemberData(nameof(SweepBackends.All), MemberType = typeof(SweepBackends))]
    public async Task Unexpired_and_finished_uploads_are_untouched(string backend)
    {
        await using var env = await SweepEnvironment.CreateAsync(servers, backend);
        var now = env.Clock.GetUtcNow();
        var live = await env.SeedAsync(100, now.AddMinutes(10));
        var finished = await env.SeedAsync(100, null, UploadStatus.Finished);
        var due = await env.SeedAsync(100, now.AddSeconds(-1));

        var report = await env.Pass.RunAsync(Ct);

        Assert.Equal(1, report.Reclaimed);
        Assert.False(env.HasBytes(due.Id));
        Assert.True(env.HasBytes(live.Id));
        Assert.True(env.HasBytes(finished.Id));
        Assert.Equal(live, await env.Coordination.GetAsync(live.Id, Ct) is { } l ? l with { PartialIds = live.PartialIds } : null);
        Assert.Equal(UploadStatus.Finished, (await env.Coordination.GetAsync(finished.Id, Ct))?.Status);
    }

    [Theory]
    [MemberData(nameof(SweepBackends.All), MemberType = typeof(SweepBackends))]
    public async Task An_expired_upload_that_has_every_byte_is_finished_and_kept_not_deleted(string backend)
    {
        // The client was told every byte was kept; only the writer's last step (finishing) was missed.
        await using var env = await SweepEnvironment.CreateAsync(servers, backend);
        var stranded = await env.SeedAsync(300, env.Clock.GetUtcNow().AddMinutes(-5), complete: true);
        var partial = await env.SeedAsync(300, env.Clock.GetUtcNow().AddMinutes(-5));

        var report = await env.Pass.RunAsync(Ct);

        Assert.Equal(1, report.Reclaimed);
        Assert.False(env.HasBytes(partial.Id));
        Assert.True(env.HasBytes(stranded.Id));
        var finished = await env.Coordination.GetAsync(stranded.Id, Ct);
        Assert.Equal(UploadStatus.Finished, finished?.Status);
        Assert.Equal(300, finished?.Offset);
        await using var read = await env.Store.OpenReadAsync(finished!, 0, 300, Ct);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy, Ct);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => (byte)i), copy.ToArray());
        Assert.Empty(await env.Coordination.ReadExpiredAsync(env.Clock.GetUtcNow(), 10, Ct));
    }

    [Theory]
    [MemberData(nameof(SweepBackends.All), MemberType = typeof(SweepBackends))]
    public async Task A_tombstone_is_forgotten_once_the_tombstone_retention_has_passed(string backend)
    {
        await using var env = await SweepEnvironment.CreateAsync(servers, backend, ("Tus:TombstoneRetention", "1.00:00:00"));
        var upload = await env.SeedAsync(100, env.Clock.GetUtcNow().AddMinutes(-1));
        await env.Pass.RunAsync(Ct);
        Assert.Equal(UploadStatus.Expired, (await env.Coordination.GetAsync(upload.Id, Ct))?.Status);

        env.Clock.Advance(TimeSpan.FromHours(23));
        Assert.Equal(0, (await env.Pass.RunAsync(Ct)).Reclaimed);
        Assert.NotNull(await env.Coordination.GetAsync(upload.Id, Ct));

        env.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, (await env.Pass.RunAsync(Ct)).Reclaimed);
        Assert.Null(await env.Coordination.GetAsync(upload.Id, Ct));
        Assert.Empty(await env.Coordination.ReadExpiredAsync(env.Clock.GetUtcNow().AddYears(1), 10, Ct));
    }

    [Theory]
    [MemberData(nameof(SweepBackends.All), MemberType = typeof(SweepBackends))]
    public async Task Without_tombstone_retention_an_expired_upload_is_forgotten_at_once(string backend)
    {
        await using var env = await SweepEnvironment.CreateAsync(servers, backend, ("Tus:TombstoneRetention", "00:00:00"));
        var upload = await env.SeedAsync(100, env.Clock.GetUtcNow().AddMinutes(-1));

        await env.Pass.RunAsync(Ct);

        Assert.Null(await env.Coordination.GetAsync(upload.Id, Ct));
        Assert.False(env.HasBytes(upload.Id));
    }

    [Theory]
    [MemberData(nameof(SweepBackends.All), MemberType = typeof(SweepBackends))]
    public async Task A_terminated_upload_whose_bytes_survived_its_deletion_is_reclaimed_with_its_tombstone(string backend)
    {
        await using var env = await SweepEnvironment.CreateAsync(servers, backend);
        var upload = await env.SeedAsync(100, env.Clock.GetUtcNow().AddMinutes(-1), UploadStatus.Terminated);
        Assert.True(env.HasBytes(upload.Id));

        var report = await env.Pass.RunAsync(Ct);

        Assert.Equal(1, report.Reclaimed);
        Assert.False(env.HasBytes(upload.Id));
        Assert.Null(await env.Coordination.GetAsync(upload.Id, Ct));
    }

    [Theory]
    [MemberData(nameof(SweepBackends.All), MemberType = typeof(SweepBackends))]
    public async Task A_backlog_larger_than_a_batch_is_reclaimed_in_one_pass_oldest_first(string backend)
    {
        await using var env = await SweepEnvironment.CreateAsync(servers, backend, ("Tus:Sweeper:BatchSize", "4"));
        var now = env.Clock.GetUtcNow();
        var uploads = new List<UploadRecord>();
        for (var i = 0; i < 15; i++)
        {
            uploads.Add(await env.SeedAsync(10, now.AddMinutes(-60 + i)));
        }

        var live = await env.SeedAsync(10, now.AddMinutes(1));

        var report = await env.Pass.RunAsync(Ct);

        Assert.Equal(15, report.Reclaimed);
        Assert.All(uploads, u => Assert.False(env.HasBytes(u.Id)));
        Assert.True(env.HasBytes(live.Id));
        Assert.Equal(TimeSpan.Zero, report.Lag);
    }

    [Theory]
    [MemberData(nameof(SweepBackends.All), MemberType = typeof(SweepBackends))]
    public async Task A_dry_run_reports_what_it_would_reclaim_and_changes_nothing(string backend)
    {
        await using var env = await SweepEnvironment.CreateAsync(servers, backend, ("Tus:Sweeper:DryRun", "true"), ("Tus:Sweeper:BatchSize", "2"));
        var now = env.Clock.GetUtcNow();
        var uploads = new[] { await env.SeedAsync(10, now.AddMinutes(-3)), await env.SeedAsync(10, now.AddMinutes(-2)), await env.SeedAsync(10, now.AddMinutes(-1)) };

        var report = await env.Pass.RunAsync(Ct);

        Assert.Equal(3, report.Examined);
        Assert.Equal(0, report.Reclaimed);
        Assert.InRange(report.Lag, TimeSpan.FromMinutes(3) - TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(4));
        foreach (var upload in uploads)
        {
            Assert.True(env.HasBytes(upload.Id));
            Assert.Equal(UploadStatus.Active, (await env.Coordination.GetAsync(upload.Id, Ct))?.Status);
        }
    }

    [Theory]
    [MemberData(nameof(SweepBackends.All), MemberType = typeof(SweepBackends))]
    public async Task Finished_uploads_in_the_index_are_reclaimed_only_under_a_finished_retention(string backend)
    {
        await using var env = await SweepEnvironment.CreateAsync(servers, backend);
        var retaining = env.NewInstance(("Tus:Sweeper:FinishedRetention", "7.00:00:00"));
        var now = env.Clock.GetUtcNow();
        var kept = await env.SeedAsync(50, now.AddMinutes(-1), UploadStatus.Finished);

        // Without a retention the finished upload stays and leaves the index.
        Assert.Equal(0, (await env.Pass.RunAsync(Ct)).Reclaimed);
        Assert.True(env.HasBytes(kept.Id));
        Assert.Null((await env.Coordination.GetAsync(kept.Id, Ct))?.ExpiresAt);
        Assert.Empty(await env.Coordination.ReadExpiredAsync(now, 10, Ct));

        var due = await env.SeedAsync(50, now.AddMinutes(-1), UploadStatus.Finished);
        var report = await retaining.GetRequiredService<SweepPass>().RunAsync(Ct);

        Assert.Equal(1, report.Reclaimed);
        Assert.False(env.HasBytes(due.Id));
        Assert.Equal(UploadStatus.Expired, (await env.Coordination.GetAsync(due.Id, Ct))?.Status);
        Assert.True(env.HasBytes(kept.Id));
    }
}
