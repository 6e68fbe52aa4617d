using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Etcd.Tests;

/// <summary>A replica whose etcd lease ends loses every lock held through it.</summary>
public sealed class EtcdLeaseLossTests(SharedEtcd etcd)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(2);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_revoked_replica_lease_makes_its_holders_lost_and_another_replica_takes_over()
    {
        var prefix = Coordinations.NewPrefix();
        await using var stale = Coordinations.Create(prefix, [etcd.Endpoint], leaseTtl: Ttl);
        await using var other = Coordinations.Create(prefix, [etcd.Endpoint], leaseTtl: Ttl);
        var id = UploadId.New();
        var holder = await stale.AcquireAsync(id, Coordinations.Generous, Ct);
        await holder.CommitAsync(Coordinations.NewRecord(id, offset: 1), Ct);
        var revokedLease = stale.SessionLeaseId;

        await stale.RevokeSessionLeaseAsync(Ct);

        await Coordinations.SignalledAsync(holder.Lost, Ttl * 2, "Lost");
        await AssertTakenOverAsync(stale, other, id, holder);

        // A later acquisition on the stale replica runs under a new etcd lease.
        await using var again = await stale.AcquireAsync(UploadId.New(), Coordinations.Generous, Ct);
        Assert.NotEqual(revokedLease, stale.SessionLeaseId);
        Assert.False(again.Lost.IsCancellationRequested);
    }

    private static async Task AssertTakenOverAsync(EtcdUploadCoordination stale, EtcdUploadCoordination other, string id, IUploadLease holder)
    {
        await using var newer = await other.AcquireAsync(id, TimeSpan.FromSeconds(10), Ct);
        Assert.True(newer.FencingToken > holder.FencingToken);
        Assert.Equal(1, newer.Record?.Offset);
        var kept = await newer.CommitAsync(Coordinations.NewRecord(id, offset: 2), Ct);

        await Assert.ThrowsAsync<LeaseLostException>(async () => await holder.CommitAsync(Coordinations.NewRecord(id, offset: 99), Ct));

        Coordinations.AssertSameRecord(kept, await stale.GetAsync(id, Ct));
        await holder.DisposeAsync();
        await newer.CommitAsync(kept with { Offset = 3 }, Ct);
    }
}
