using System.Diagnostics;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Redis.Tests;

/// <summary>Each test owns its redis-server, since it stalls it.</summary>
public sealed class RedisOutageTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// A stalled script may still run once Redis wakes up (StackExchange.Redis cannot unsend it), but only
    /// under the lease's fence: the record is then either the old or the new one, never anything else, and
    /// the lease goes on.
    /// </summary>
    [Fact]
    public async Task A_commit_that_times_out_reports_unavailable_and_the_lease_goes_on()
    {
        await using var server = await RedisServer.StartAsync();
        await using var coordination = Fixtures.Create(server, o => o.CommandTimeout = TimeSpan.FromMilliseconds(300));
        await using var admin = Fixtures.Create(server, o => (o.Endpoint, o.Configuration) = (null, server.Endpoint + ",allowAdmin=true"));
        var id = UploadId.New();
        await using var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        var committed = await lease.CommitAsync(Fixtures.NewRecord(id, offset: 1), Ct);

        // Writes stall for longer than the command timeout, and longer than the read that would settle
        // the commit's outcome (it waits behind the script on the same connection).
        await admin.Database.ExecuteAsync("CLIENT", "PAUSE", "2000", "WRITE");
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await lease.CommitAsync(committed with { Offset = 2 }, Ct));
        Assert.True(watch.Elapsed < Bound, $"failing took {watch.Elapsed}");
        await Task.Delay(2200 - (int)watch.ElapsedMilliseconds, Ct);

        var stored = await coordination.GetAsync(id, Ct);
        Assert.True(stored?.Offset is 1 or 2, $"the record is at {stored?.Offset}");
        var retried = await lease.CommitAsync(committed with { Offset = 3 }, Ct);
        Fixtures.AssertSameRecord(retried, await coordination.GetAsync(id, Ct));
        Assert.False(lease.Lost.IsCancellationRequested);
    }
}
