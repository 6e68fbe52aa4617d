using System.Diagnostics;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Contract;

/// <summary>
/// Leases that live by renewal (every distributed backend): kept while renewed, lost after the TTL when
/// not, and a lost holder can never commit over the next one. The in-process backend has no TTL: its
/// locks die with the process.
/// </summary>
public abstract class LeaseExpiryContract : CoordinationContract
{
    /// <summary>The shortest lease TTL the backend accepts, to keep these tests quick.</summary>
    protected abstract TimeSpan ShortTtl { get; }

    /// <summary>A replica whose leases live <see cref="ShortTtl"/> after their last renewal.</summary>
    protected abstract IUploadCoordination CreateReplica(string isolation, TimeSpan leaseTtl);

    /// <summary>Stops renewing <paramref name="lease"/> (or every lease of its replica), as a paused or partitioned replica would.</summary>
    protected abstract void StopRenewing(IUploadCoordination replica, IUploadLease lease);

    protected sealed override IUploadCoordination CreateReplica(string isolation) => CreateReplica(isolation, ShortTtl);

    [Fact]
    public async Task The_keep_alive_holds_the_lease_for_several_ttls()
    {
        var (a, b) = (Replica(), Replica());
        var id = UploadId.New();
        await using var holder = await a.AcquireAsync(id, Generous, Ct);

        await Task.Delay(ShortTtl * 2.5, Ct);

        Assert.False(holder.Lost.IsCancellationRequested);
        await Assert.ThrowsAsync<LockTimeoutException>(async () => await b.AcquireAsync(id, TimeSpan.Zero, Ct));
        await holder.CommitAsync(NewRecord(id, offset: 5), Ct);
    }

    [Fact]
    public async Task A_holder_that_stops_renewing_is_lost_after_the_ttl_and_cannot_commit_over_the_next_holder()
    {
        var (a, b) = (Replica(), Replica());
        var id = UploadId.New();
        var stale = await a.AcquireAsync(id, Generous, Ct);
        var before = await stale.CommitAsync(NewRecord(id, offset: 1), Ct);
        var watch = Stopwatch.StartNew();

        StopRenewing(a, stale);

        await Task.Delay(Timeout.Infinite, stale.Lost).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(ShortTtl * 4, Ct);
        Assert.True(watch.Elapsed >= ShortTtl / 2, $"lost after {watch.Elapsed} already");

        // The stale holder ignores the hand-over (it is "paused"); its lock expires and B gets it.
        await using var fresh = await b.AcquireAsync(id, ShortTtl * 5, Ct);
        Assert.True(fresh.FencingToken > stale.FencingToken);
        AssertSameRecord(before, fresh.Record);
        var current = await fresh.CommitAsync(before with { Offset = 2 }, Ct);

        await Assert.ThrowsAsync<LeaseLostException>(async () => await stale.CommitAsync(before with { Offset = 999 }, Ct));
        await Assert.ThrowsAsync<LeaseLostException>(async () => await stale.RemoveAsync(Ct));
        await Assert.ThrowsAsync<LeaseLostException>(async () => await stale.CommitAndReleaseAsync(before with { Offset = 999 }, Ct));
        await stale.DisposeAsync();

        AssertSameRecord(current, await a.GetAsync(id, Ct));
        await Assert.ThrowsAsync<LockTimeoutException>(async () => await a.AcquireAsync(id, TimeSpan.Zero, Ct));
        await fresh.CommitAsync(current with { Offset = 3 }, Ct);
    }
}
