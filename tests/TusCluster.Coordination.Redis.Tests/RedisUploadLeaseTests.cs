using System.Collections.Concurrent;
using System.Diagnostics;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Redis.Tests;

public sealed class RedisUploadLeaseTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private RedisServer Server => redis.Server;

    [Fact]
    public async Task Records_are_stored_as_json_with_enums_as_strings_under_hash_tagged_keys()
    {
        await using var coordination = Fixtures.Create(Server);
        var id = UploadId.New();
        await using (var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct))
        {
            await lease.CommitAsync(Fixtures.NewRecord(id) with { Status = UploadStatus.Terminated }, Ct);
        }

        var json = (string?)await coordination.Database.StringGetAsync($"tus:{{{id}}}:record");
        Assert.Contains("\"Status\":\"Terminated\"", json, StringComparison.Ordinal);
        Assert.True(await coordination.Database.KeyExistsAsync($"tus:{{{id}}}:fence"));
        Assert.False(await coordination.Database.KeyExistsAsync($"tus:{{{id}}}:lock"));
    }

    [Fact]
    public async Task Fencing_tokens_stay_above_the_stored_fence_even_when_the_counter_was_lost()
    {
        await using var coordination = Fixtures.Create(Server);
        var id = UploadId.New();
        UploadRecord stored;
        await using (var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct))
        {
            stored = await lease.CommitAsync(Fixtures.NewRecord(id), Ct);
        }

        // A record written elsewhere (the embedded backend seeds tokens with clock ticks, past 2^53),
        // and a counter lost or behind.
        const long Huge = 638_999_999_999_999_999;
        var imported = UploadRecordJson.SerializeToString(stored with { Fence = Huge });
        await coordination.Database.StringSetAsync($"tus:{{{id}}}:record", imported);
        await coordination.Database.StringSetAsync($"tus:{{{id}}}:fence", "3");

        await using (var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct))
        {
            Assert.Equal(Huge + 1, lease.FencingToken);
            Assert.Equal(Huge + 1, (await lease.CommitAsync(lease.Record!, Ct)).Fence);
        }

        await coordination.Database.KeyDeleteAsync($"tus:{{{id}}}:fence");
        await using var next = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        Assert.Equal(Huge + 2, next.FencingToken);
    }

    [Fact]
    public async Task Lost_fires_when_another_holder_has_taken_the_lock()
    {
        await using var coordination = Fixtures.Create(Server, o => o.LeaseTtl = TimeSpan.FromMilliseconds(600));
        var id = UploadId.New();
        await using var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lease.Lost.Register(() => lost.TrySetResult());

        // Someone overwrote the lock (an operator, a bug): the next renewal notices.
        await coordination.Database.StringSetAsync($"tus:{{{id}}}:lock", "424242", TimeSpan.FromMinutes(1));

        await lost.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        await Assert.ThrowsAsync<LeaseLostException>(async () => await lease.CommitAsync(Fixtures.NewRecord(id), Ct));
        await coordination.Database.KeyDeleteAsync($"tus:{{{id}}}:lock");
    }

    [Fact]
    public async Task An_unreadable_record_fails_the_acquire_without_keeping_the_lock()
    {
        await using var coordination = Fixtures.Create(Server);
        var id = UploadId.New();
        await coordination.Database.StringSetAsync($"tus:{{{id}}}:record", "{not json");

        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.AcquireAsync(id, Fixtures.Generous, Ct));
        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.GetAsync(id, Ct));

        Assert.False(await coordination.Database.KeyExistsAsync($"tus:{{{id}}}:lock"));
    }
}
