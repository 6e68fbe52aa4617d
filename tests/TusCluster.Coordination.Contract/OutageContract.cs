using System.Diagnostics;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Contract;

/// <summary>
/// The backend server goes away and comes back: every operation fails fast with
/// <see cref="CoordinationUnavailableException"/> (a 503 upstream), holders learn they lost their lease,
/// and replicas recover by themselves. Each test owns its server, since it kills it.
/// </summary>
/// <typeparam name="TServer">The test's handle on one real backend server.</typeparam>
public abstract class OutageContract<TServer>
    where TServer : IAsyncDisposable
{
    /// <summary>How long a failing operation may take: the backend's request timeout plus slack.</summary>
    protected virtual TimeSpan FailFastBound => TimeSpan.FromSeconds(2);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<TServer> StartServerAsync();

    protected abstract Task KillAsync(TServer server);

    /// <summary>Starts the killed server again on the same address (it may come back empty).</summary>
    protected abstract Task RestartAsync(TServer server);

    /// <summary>A replica on <paramref name="server"/> whose leases live about a second or two.</summary>
    protected abstract IUploadCoordination CreateReplica(TServer server, string isolation);

    [Fact]
    public async Task Operations_fail_fast_while_the_backend_is_down_and_everything_works_again_once_it_is_back()
    {
        await using var server = await StartServerAsync();
        var isolation = Guid.NewGuid().ToString("N")[..16];
        await using var a = (IAsyncDisposable)CreateReplica(server, isolation);
        await using var b = (IAsyncDisposable)CreateReplica(server, isolation);
        var (first, second) = ((IUploadCoordination)a, (IUploadCoordination)b);
        var id = UploadId.New();
        var holder = await first.AcquireAsync(id, TimeSpan.FromSeconds(30), Ct);
        var committed = await holder.CommitAsync(TestRecords.New(id, offset: 1), Ct);

        await KillAsync(server);

        await AssertUnavailableAsync(async () => await first.GetAsync(id, Ct));
        await AssertUnavailableAsync(async () => await second.AcquireAsync(UploadId.New(), TimeSpan.FromSeconds(30), Ct));
        await AssertUnavailableAsync(async () => await first.ReadExpiredAsync(DateTimeOffset.MaxValue, 10, Ct));
        await AssertUnavailableAsync(async () => await holder.CommitAsync(committed with { Offset = 2 }, Ct));
        var watch = Stopwatch.StartNew();
        Assert.False(await first.IsHealthyAsync(Ct));
        Assert.True(watch.Elapsed < FailFastBound, $"IsHealthyAsync took {watch.Elapsed}");

        // Renewals fail, so the holder learns within its TTL that it must stop writing.
        await Task.Delay(Timeout.Infinite, holder.Lost).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(8), Ct);
        await holder.DisposeAsync();

        await RestartAsync(server);

        await Eventually.HoldsAsync(() => first.IsHealthyAsync(Ct), "the first replica to see the backend healthy again");
        await Eventually.HoldsAsync(() => second.IsHealthyAsync(Ct), "the second replica to see the backend healthy again");
        UploadRecord stored;
        await using (var lease = await first.AcquireAsync(id, TimeSpan.FromSeconds(30), Ct))
        {
            stored = await lease.CommitAsync(TestRecords.New(id, offset: 5), Ct);
        }

        TestRecords.AssertSame(stored, await second.GetAsync(id, Ct));

        // Hand-over requests reach holders again (subscriptions, watches and polls recovered).
        var again = await first.AcquireAsync(id, TimeSpan.FromSeconds(30), Ct);
        using var handOver = again.HandOverRequested.Register(() => _ = again.DisposeAsync().AsTask());
        await using var next = await second.AcquireAsync(id, TimeSpan.FromSeconds(10), Ct);
        Assert.True(again.HandOverRequested.IsCancellationRequested);
        Assert.True(next.FencingToken > again.FencingToken);
        TestRecords.AssertSame(stored, next.Record);
    }

    [Fact]
    public async Task A_backend_that_is_not_there_fails_fast_and_is_unhealthy()
    {
        TServer server;
        await using (server = await StartServerAsync())
        {
        }

        await using var replica = (IAsyncDisposable)CreateReplica(server, Guid.NewGuid().ToString("N")[..16]);
        var coordination = (IUploadCoordination)replica;
        var id = UploadId.New();

        await AssertUnavailableAsync(async () => await coordination.GetAsync(id, Ct));
        await AssertUnavailableAsync(async () => await coordination.AcquireAsync(id, TimeSpan.FromSeconds(30), Ct));
        await AssertUnavailableAsync(async () => await coordination.ReadExpiredAsync(DateTimeOffset.MaxValue, 10, Ct));
        Assert.False(await coordination.IsHealthyAsync(Ct));
    }

    private async Task AssertUnavailableAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<CoordinationUnavailableException>(action);
        Assert.True(watch.Elapsed < FailFastBound, $"failing took {watch.Elapsed}");
    }
}
