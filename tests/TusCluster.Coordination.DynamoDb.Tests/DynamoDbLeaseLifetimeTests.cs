using System.Collections.Concurrent;
using System.Diagnostics;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.DynamoDb.Tests;

/// <summary>Timeouts, keep-alive, expiry of dead holders, contention.</summary>
public sealed class DynamoDbLeaseLifetimeTests(DynaliteServerFixture dynalite) : IClassFixture<DynaliteServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_keep_alive_holds_the_lease_beyond_its_ttl()
    {
        await using var a = Fixtures.Create(dynalite, o => o.LeaseTtl = TimeSpan.FromSeconds(1));
        await using var b = Fixtures.Create(dynalite, o => o.LeaseTtl = TimeSpan.FromSeconds(1));
        var id = UploadId.New();
        await using var holder = await a.AcquireAsync(id, Fixtures.Generous, Ct);

        await Task.Delay(2500, Ct);

        Assert.False(holder.Lost.IsCancellationRequested);
        await Assert.ThrowsAsync<LockTimeoutException>(async () => await b.AcquireAsync(id, TimeSpan.Zero, Ct));
        await holder.CommitAsync(Fixtures.NewRecord(id, offset: 5), Ct);
    }

    [Fact]
    public async Task A_dead_holders_lock_expires_after_the_ttl_and_its_stale_commit_fails()
    {
        await using var a = Fixtures.Create(dynalite, o => o.LeaseTtl = TimeSpan.FromSeconds(1));
        await using var b = Fixtures.Create(dynalite, o => o.LeaseTtl = TimeSpan.FromSeconds(1));
        var id = UploadId.New();
        var stale = (DynamoDbUploadLease)await a.AcquireAsync(id, Fixtures.Generous, Ct);
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
    public async Task A_stale_commit_and_release_fails_and_leaves_the_new_holder_locked()
    {
        await using var a = Fixtures.Create(dynalite, o => o.LeaseTtl = TimeSpan.FromSeconds(1));
        await using var b = Fixtures.Create(dynalite, o => o.LeaseTtl = TimeSpan.FromSeconds(1));
        var id = UploadId.New();
        var stale = (DynamoDbUploadLease)await a.AcquireAsync(id, Fixtures.Generous, Ct);
        stale.PauseKeepAlive();
        await using var fresh = await b.AcquireAsync(id, TimeSpan.FromSeconds(5), Ct);

        await Assert.ThrowsAsync<LeaseLostException>(async () => await stale.CommitAndReleaseAsync(Fixtures.NewRecord(id, offset: 999), Ct));

        Assert.Null(await b.GetAsync(id, Ct));
        await Assert.ThrowsAsync<LockTimeoutException>(async () => await a.AcquireAsync(id, TimeSpan.Zero, Ct));
        await fresh.CommitAsync(Fixtures.NewRecord(id, offset: 1), Ct);
    }

    [Fact]
    public async Task Lost_fires_when_another_holder_has_taken_the_lock()
    {
        await using var coordination = Fixtures.Create(dynalite, o => o.LeaseTtl = TimeSpan.FromSeconds(1));
        var id = UploadId.New();
        await using var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lease.Lost.Register(() => lost.TrySetResult());

        // Someone overwrote the lock (an operator, a bug): the next renewal notices.
        await RawItems.SetAsync(coordination, id, "lockToken", RawItems.Number(424242));

        await lost.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        await Assert.ThrowsAsync<LeaseLostException>(async () => await lease.CommitAsync(Fixtures.NewRecord(id), Ct));
        await RawItems.RemoveAsync(coordination, id, "lockToken");
    }

    [Fact]
    public async Task An_unreadable_record_fails_the_acquire_without_keeping_the_lock()
    {
        await using var coordination = Fixtures.Create(dynalite);
        var id = UploadId.New();
        await coordination.EnsureTableAsync(Ct);
        await RawItems.SetAsync(coordination, id, "record", new() { S = "{not json" });

        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.AcquireAsync(id, Fixtures.Generous, Ct));
        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.GetAsync(id, Ct));

        await WaitUntilAsync(async () => !(await RawItems.GetAsync(coordination, id)).ContainsKey("lockToken"));
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 5 s");
            await Task.Delay(20, Ct);
        }
    }
}
