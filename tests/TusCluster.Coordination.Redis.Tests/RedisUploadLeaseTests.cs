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

        var json = (await coordination.Client.CommandAsync(["GET", $"tus:{{{id}}}:record"], Ct)).AsString();
        Assert.Contains("\"Status\":\"Terminated\"", json, StringComparison.Ordinal);
        Assert.Equal("1", (await coordination.Client.CommandAsync(["EXISTS", $"tus:{{{id}}}:fence"], Ct)).AsString());
        Assert.Equal("0", (await coordination.Client.CommandAsync(["EXISTS", $"tus:{{{id}}}:lock"], Ct)).AsString());
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
        var imported = System.Text.Json.JsonSerializer.Serialize(stored with { Fence = Huge }, RecordJsonContext.Default.UploadRecord);
        await coordination.Client.CommandAsync(["SET", $"tus:{{{id}}}:record", imported], Ct);
        await coordination.Client.CommandAsync(["SET", $"tus:{{{id}}}:fence", "3"], Ct);

        await using (var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct))
        {
            Assert.Equal(Huge + 1, lease.FencingToken);
            Assert.Equal(Huge + 1, (await lease.CommitAsync(lease.Record!, Ct)).Fence);
        }

        await coordination.Client.CommandAsync(["DEL", $"tus:{{{id}}}:fence"], Ct);
        await using var next = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        Assert.Equal(Huge + 2, next.FencingToken);
    }

    [Fact]
    public async Task The_keep_alive_holds_the_lease_beyond_its_ttl()
    {
        await using var a = Fixtures.Create(Server, o => o.LeaseTtl = TimeSpan.FromMilliseconds(900));
        await using var b = Fixtures.Create(Server, o => o.LeaseTtl = TimeSpan.FromMilliseconds(900));
        var id = UploadId.New();
        await using var holder = await a.AcquireAsync(id, Fixtures.Generous, Ct);

        await Task.Delay(2500, Ct);

        Assert.False(holder.Lost.IsCancellationRequested);
        await Assert.ThrowsAsync<LockTimeoutException>(async () => await b.AcquireAsync(id, TimeSpan.Zero, Ct));
        await holder.CommitAsync(Fixtures.NewRecord(id, offset: 5), Ct);
    }

    [Fact]
    public async Task A_holder_whose_keep_alive_stops_loses_the_lease_and_cannot_commit_over_the_new_holder()
    {
        await using var a = Fixtures.Create(Server, o => o.LeaseTtl = TimeSpan.FromMilliseconds(600));
        await using var b = Fixtures.Create(Server, o => o.LeaseTtl = TimeSpan.FromMilliseconds(600));
        var id = UploadId.New();
        var stale = (RedisUploadLease)await a.AcquireAsync(id, Fixtures.Generous, Ct);
        var before = await stale.CommitAsync(Fixtures.NewRecord(id, offset: 1), Ct);
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = stale.Lost.Register(() => lost.TrySetResult());

        stale.PauseKeepAlive();
        var watch = Stopwatch.StartNew();
        await lost.Task.WaitAsync(Fixtures.Generous, Ct);
        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(1500), $"Lost fired after {watch.Elapsed}");

        // The stale holder ignores the hand-over (it is "paused"); the lock expires and B gets it.
        await using var fresh = await b.AcquireAsync(id, TimeSpan.FromSeconds(5), Ct);
        Assert.True(fresh.FencingToken > stale.FencingToken);
        Fixtures.AssertSameRecord(before, fresh.Record);
        var current = await fresh.CommitAsync(before with { Offset = 2 }, Ct);

        await Assert.ThrowsAsync<LeaseLostException>(async () => await stale.CommitAsync(before with { Offset = 999 }, Ct));
        await Assert.ThrowsAsync<LeaseLostException>(async () => await stale.RemoveAsync(Ct));
        await stale.DisposeAsync();

        Fixtures.AssertSameRecord(current, await a.GetAsync(id, Ct));
        await fresh.CommitAsync(current with { Offset = 3 }, Ct);
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
        await coordination.Client.CommandAsync(["SET", $"tus:{{{id}}}:lock", "424242", "PX", "60000"], Ct);

        await lost.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        await Assert.ThrowsAsync<LeaseLostException>(async () => await lease.CommitAsync(Fixtures.NewRecord(id), Ct));
        await coordination.Client.CommandAsync(["DEL", $"tus:{{{id}}}:lock"], Ct);
    }

    [Fact]
    public async Task An_unreadable_record_fails_the_acquire_without_keeping_the_lock()
    {
        await using var coordination = Fixtures.Create(Server);
        var id = UploadId.New();
        await coordination.Client.CommandAsync(["SET", $"tus:{{{id}}}:record", "{not json"], Ct);

        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.AcquireAsync(id, Fixtures.Generous, Ct));
        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.GetAsync(id, Ct));

        Assert.Equal(0, (await coordination.Client.CommandAsync(["EXISTS", $"tus:{{{id}}}:lock"], Ct)).Integer);
    }
}
