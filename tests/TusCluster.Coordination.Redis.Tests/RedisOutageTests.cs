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
