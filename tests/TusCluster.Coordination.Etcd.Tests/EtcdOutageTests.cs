using System.Diagnostics;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Etcd.Tests;

/// <summary>Runs its own etcd, because it kills and restarts it.</summary>
public sealed class EtcdOutageTests
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_killed_etcd_is_unavailable_within_the_request_timeout_and_recovery_needs_nothing()
    {
        await using var server = await EtcdServer.StartAsync();
        var prefix = Coordinations.NewPrefix();
        await using var coordination = Coordinations.Create(prefix, [server.Endpoint], leaseTtl: TimeSpan.FromSeconds(2), requestTimeout: RequestTimeout);
        await using var other = Coordinations.Create(prefix, [server.Endpoint], leaseTtl: TimeSpan.FromSeconds(2), requestTimeout: RequestTimeout);
        var id = UploadId.New();
        UploadRecord committed;
        await using (var lease = await coordination.AcquireAsync(id, Coordinations.Generous, Ct))
        {
            committed = await lease.CommitAsync(Coordinations.NewRecord(id, offset: 10), Ct);
        }

        var holder = await coordination.AcquireAsync(id, Coordinations.Generous, Ct);

        await server.KillAsync();

        await AssertUnavailableAsync(() => coordination.GetAsync(id, Ct).AsTask());
        await AssertUnavailableAsync(() => holder.CommitAsync(committed with { Offset = 20 }, Ct).AsTask());
        await AssertUnavailableAsync(() => coordination.AcquireAsync(UploadId.New(), Coordinations.Generous, Ct).AsTask());
        await AssertUnavailableAsync(() => coordination.ReadExpiredAsync(DateTimeOffset.MaxValue, 10, Ct).AsTask());
        var started = Stopwatch.StartNew();
        Assert.False(await coordination.IsHealthyAsync(Ct));
        Assert.True(started.Elapsed < RequestTimeout + TimeSpan.FromSeconds(1), $"health took {started.Elapsed}");

        // Keep-alive fails for a whole TTL while etcd is down: the holder is lost.
        await Coordinations.SignalledAsync(holder.Lost, TimeSpan.FromSeconds(6), "Lost");
        await holder.DisposeAsync();

        await server.StartProcessAsync();

        Assert.True(await coordination.IsHealthyAsync(Ct));
        Coordinations.AssertSameRecord(committed, await coordination.GetAsync(id, Ct));
        await using var again = await coordination.AcquireAsync(id, Coordinations.Generous, Ct);
        Assert.False(again.Lost.IsCancellationRequested);
        Assert.True(again.FencingToken > committed.Fence);
        var stored = await again.CommitAsync(committed with { Offset = 30 }, Ct);
        Coordinations.AssertSameRecord(stored, await other.GetAsync(id, Ct));

        // The hand-over watch reconnected by itself: another replica's request reaches the holder.
        var newcomer = other.AcquireAsync(id, TimeSpan.FromSeconds(10), Ct).AsTask();
        await Coordinations.SignalledAsync(again.HandOverRequested, TimeSpan.FromSeconds(5), "the hand-over request");
        await again.DisposeAsync();
        await using var next = await newcomer.WaitAsync(Coordinations.Generous, Ct);
        Coordinations.AssertSameRecord(stored, next.Record);
    }

    private static async Task AssertUnavailableAsync(Func<Task> action)
    {
        var started = Stopwatch.StartNew();
        await Assert.ThrowsAsync<CoordinationUnavailableException>(action);
        Assert.True(started.Elapsed < RequestTimeout + TimeSpan.FromSeconds(1), $"took {started.Elapsed}");
    }
}
