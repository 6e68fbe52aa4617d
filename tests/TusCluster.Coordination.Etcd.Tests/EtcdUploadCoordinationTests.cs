using System.Collections.Immutable;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Etcd.Tests;

public sealed class EtcdUploadCoordinationTests(SharedEtcd etcd) : IAsyncDisposable
{
    private readonly string _prefix = Coordinations.NewPrefix();
    private readonly List<EtcdUploadCoordination> _replicas = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
    }

    private EtcdUploadCoordination Replica()
    {
        var replica = Coordinations.Create(_prefix, [etcd.Endpoint]);
        _replicas.Add(replica);
        return replica;
    }

    [Fact]
    public async Task A_holder_on_the_same_replica_is_asked_to_hand_over()
    {
        var coordination = Replica();
        var id = UploadId.New();
        var holder = await coordination.AcquireAsync(id, Coordinations.Generous, Ct);

        var newcomer = coordination.AcquireAsync(id, TimeSpan.FromSeconds(10), Ct).AsTask();

        await Coordinations.SignalledAsync(holder.HandOverRequested, TimeSpan.FromSeconds(5), "the hand-over request");
        await holder.DisposeAsync();
        await using var next = await newcomer.WaitAsync(Coordinations.Generous, Ct);
        Assert.True(next.FencingToken > holder.FencingToken);
    }

    [Fact]
    public async Task A_stale_lease_object_cannot_commit_after_another_replica_took_over_through_expiry()
    {
        // The holder's lock key is deleted behind its back (as when its etcd lease expired) and
        // another replica acquires: the stale holder's guarded commit must fail.
        var (first, second) = (Replica(), Replica());
        var id = UploadId.New();
        var stale = await first.AcquireAsync(id, Coordinations.Generous, Ct);
        await stale.CommitAsync(Coordinations.NewRecord(id, offset: 1), Ct);
        await first.RevokeSessionLeaseAsync(Ct);
        await using var newer = await second.AcquireAsync(id, TimeSpan.FromSeconds(5), Ct);
        var kept = await newer.CommitAsync(Coordinations.NewRecord(id, offset: 2), Ct);

        await Assert.ThrowsAsync<LeaseLostException>(async () => await stale.CommitAsync(Coordinations.NewRecord(id, offset: 99), Ct));
        await Assert.ThrowsAsync<LeaseLostException>(async () => await stale.RemoveAsync(Ct));

        Coordinations.AssertSameRecord(kept, await first.GetAsync(id, Ct));
        await stale.DisposeAsync();
    }

    [Fact]
    public async Task Operations_fail_over_from_a_dead_endpoint_to_a_live_one()
    {
        var dead = $"http://127.0.0.1:{FreePort.Next()}";
        await using var coordination = Coordinations.Create(_prefix, [dead, etcd.Endpoint], requestTimeout: TimeSpan.FromSeconds(3));
        var id = UploadId.New();

        await using (var lease = await coordination.AcquireAsync(id, Coordinations.Generous, Ct))
        {
            await lease.CommitAsync(Coordinations.NewRecord(id, offset: 5, expiresAt: DateTimeOffset.UnixEpoch.AddDays(1)), Ct);
        }

        Assert.Equal(5, (await coordination.GetAsync(id, Ct))?.Offset);
        Assert.Equal([id], (await coordination.ReadExpiredAsync(DateTimeOffset.UnixEpoch.AddDays(2), 10, Ct)).Select(e => e.UploadId));
        Assert.True(await coordination.IsHealthyAsync(Ct));
    }

    [Fact]
    public async Task Reads_are_hedged_past_an_endpoint_that_accepts_but_never_answers()
    {
        // gRPC balances over both members and counts the hung one as connected; a read that gets no
        // answer goes to the other member after the hedging delay.
        using var hung = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        hung.Start();
        var hungEndpoint = $"http://127.0.0.1:{((System.Net.IPEndPoint)hung.LocalEndpoint).Port}";
        var id = UploadId.New();
        await using (var writer = Replica())
        await using (var lease = await writer.AcquireAsync(id, Coordinations.Generous, Ct))
        {
            await lease.CommitAsync(Coordinations.NewRecord(id, offset: 9, expiresAt: DateTimeOffset.UnixEpoch), Ct);
        }

        await using var coordination = Coordinations.Create(_prefix, [hungEndpoint, etcd.Endpoint], requestTimeout: TimeSpan.FromSeconds(2));
        var started = System.Diagnostics.Stopwatch.StartNew();

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(9, (await coordination.GetAsync(id, Ct))?.Offset);
            Assert.Equal([id], (await coordination.ReadExpiredAsync(DateTimeOffset.UnixEpoch, 10, Ct)).Select(e => e.UploadId));
        }

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(4), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task No_reachable_endpoint_is_coordination_unavailable()
    {
        var dead = $"http://127.0.0.1:{FreePort.Next()}";
        await using var coordination = Coordinations.Create(_prefix, [dead], requestTimeout: TimeSpan.FromSeconds(2));
        var started = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.GetAsync(UploadId.New(), Ct));
        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.AcquireAsync(UploadId.New(), Coordinations.Generous, Ct));
        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.ReadExpiredAsync(DateTimeOffset.MaxValue, 10, Ct));
        Assert.False(await coordination.IsHealthyAsync(Ct));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(8), $"took {started.Elapsed}");
    }
}
