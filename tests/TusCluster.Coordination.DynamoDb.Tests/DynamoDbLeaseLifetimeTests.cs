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

        await Eventually.HoldsAsync(async ValueTask<bool> () => !(await RawItems.GetAsync(coordination, id)).ContainsKey("lockToken"), "the lock attribute to be removed");
    }
}
