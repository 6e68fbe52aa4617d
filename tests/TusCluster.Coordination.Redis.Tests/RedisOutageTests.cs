using System.Diagnostics;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Redis.Tests;

/// <summary>Each test owns its redis-server, since it kills or pauses it.</summary>
public sealed class RedisOutageTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Operations_fail_fast_while_redis_is_down_and_work_again_once_it_is_back()
    {
        await using var server = await RedisServer.StartAsync();
        await using var a = Fixtures.Create(server, o => o.LeaseTtl = TimeSpan.FromSeconds(1));
        await using var b = Fixtures.Create(server, o => o.LeaseTtl = TimeSpan.FromSeconds(1));
        var id = UploadId.New();
        var holder = await a.AcquireAsync(id, Fixtures.Generous, Ct);
        var committed = await holder.CommitAsync(Fixtures.NewRecord(id, offset: 1), Ct);
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = holder.Lost.Register(() => lost.TrySetResult());

        await server.KillAsync();

        await AssertUnavailableAsync(async () => await a.GetAsync(id, Ct));
        await AssertUnavailableAsync(async () => await b.AcquireAsync(id, Fixtures.Generous, Ct));
        await AssertUnavailableAsync(async () => await a.ReadExpiredAsync(DateTimeOffset.MaxValue, 10, Ct));
        await AssertUnavailableAsync(async () => await holder.CommitAsync(committed with { Offset = 2 }, Ct));
        var watch = Stopwatch.StartNew();
        Assert.False(await a.IsHealthyAsync(Ct));
        Assert.True(watch.Elapsed < Bound, $"IsHealthyAsync took {watch.Elapsed}");

        // Renewals fail, so the holder learns within the TTL that it must stop.
        await lost.Task.WaitAsync(TimeSpan.FromSeconds(3), Ct);
        await holder.DisposeAsync();

        await server.StartAsync();

        // Without persistence the restarted server is empty; the coordination heals by itself.
        await WaitUntilAsync(() => a.IsHealthyAsync(Ct));
        await WaitUntilAsync(() => b.IsHealthyAsync(Ct));
        await using (var lease = await a.AcquireAsync(id, Fixtures.Generous, Ct))
        {
            await lease.CommitAsync(Fixtures.NewRecord(id, offset: 5), Ct);
        }

        Assert.Equal(5, (await b.GetAsync(id, Ct))?.Offset);

        // The subscriber resubscribed: a hand-over request from B reaches A's lease.
        var again = await a.AcquireAsync(id, Fixtures.Generous, Ct);
        using var handOver = again.HandOverRequested.Register(() => _ = again.DisposeAsync().AsTask());
        await using var next = await b.AcquireAsync(id, TimeSpan.FromSeconds(10), Ct);
        Assert.True(again.HandOverRequested.IsCancellationRequested);
        Assert.True(next.FencingToken > again.FencingToken);
    }

    [Fact]
    public async Task An_unreachable_server_fails_fast_and_is_unhealthy()
    {
        RedisServer server;
        await using (server = await RedisServer.StartAsync())
        {
        }

        await using var coordination = Fixtures.Create(server);
        var id = UploadId.New();

        await AssertUnavailableAsync(async () => await coordination.GetAsync(id, Ct));
        await AssertUnavailableAsync(async () => await coordination.AcquireAsync(id, Fixtures.Generous, Ct));
        Assert.False(await coordination.IsHealthyAsync(Ct));
    }

    [Fact]
    public async Task A_commit_that_times_out_reports_unavailable_and_was_not_stored()
    {
        await using var server = await RedisServer.StartAsync();
        await using var coordination = Fixtures.Create(server, o => o.CommandTimeout = TimeSpan.FromMilliseconds(300));
        var id = UploadId.New();
        await using var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        var committed = await lease.CommitAsync(Fixtures.NewRecord(id, offset: 1), Ct);

        // Writes stall for longer than the command timeout; reads still answer.
        await coordination.Client.CommandAsync(["CLIENT", "PAUSE", "800", "WRITE"], Ct);
        await AssertUnavailableAsync(async () => await lease.CommitAsync(committed with { Offset = 2 }, Ct));
        await Task.Delay(1000, Ct);

        Fixtures.AssertSameRecord(committed, await coordination.GetAsync(id, Ct));
        var retried = await lease.CommitAsync(committed with { Offset = 2 }, Ct);
        Fixtures.AssertSameRecord(retried, await coordination.GetAsync(id, Ct));
        Assert.False(lease.Lost.IsCancellationRequested);
    }

    private static async Task AssertUnavailableAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<CoordinationUnavailableException>(action);
        Assert.True(watch.Elapsed < Bound, $"failing took {watch.Elapsed}");
    }

    private static async Task WaitUntilAsync(Func<ValueTask<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 10 s");
            await Task.Delay(50, Ct);
        }
    }
}
