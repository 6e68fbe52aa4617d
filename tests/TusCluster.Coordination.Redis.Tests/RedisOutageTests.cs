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

    /// <summary>A stalled commit with events lands whole or not at all: the record moves exactly when its event is stored.</summary>
    [Fact]
    public async Task A_commit_with_events_that_times_out_stores_both_record_and_events_or_neither()
    {
        await using var server = await RedisServer.StartAsync();
        await using var coordination = Fixtures.Create(server, o => o.CommandTimeout = TimeSpan.FromMilliseconds(300));
        await using var admin = Fixtures.Create(server, o => (o.Endpoint, o.Configuration) = (null, server.Endpoint + ",allowAdmin=true"));
        var id = UploadId.New();
        var entry = Outbox.RedisEventOutboxTests.Entry(id, DateTimeOffset.UnixEpoch);
        await using var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        var committed = await lease.CommitAsync(Fixtures.NewRecord(id, offset: 1), Ct);

        await admin.Database.ExecuteAsync("CLIENT", "PAUSE", "2000", "WRITE");
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await lease.CommitAsync(committed with { Offset = 2 }, [entry], Ct));
        Assert.True(watch.Elapsed < Bound, $"failing took {watch.Elapsed}");
        await Task.Delay(2200 - (int)watch.ElapsedMilliseconds, Ct);

        var stored = await coordination.GetAsync(id, Ct);
        var events = await coordination.ReadDueEventsAsync(DateTimeOffset.UnixEpoch, 10, Ct);
        Assert.True(stored?.Offset is 1 or 2, $"the record is at {stored?.Offset}");
        Assert.Equal(stored?.Offset == 2 ? [entry] : [], events);
    }

    /// <summary>
    /// Another client's long script holds Redis past the commit's timeout, then lets it run: the read that
    /// settles the unknown outcome finds the record and the event and reports the commit done.
    /// </summary>
    [Fact]
    public async Task A_commit_with_events_answered_late_is_settled_by_reading_record_and_events()
    {
        await using var server = await RedisServer.StartAsync();
        await using var coordination = Fixtures.Create(server, o => o.CommandTimeout = TimeSpan.FromSeconds(1));
        await using var busy = Fixtures.Create(server, o => o.CommandTimeout = TimeSpan.FromSeconds(4));
        var id = UploadId.New();
        var entry = Outbox.RedisEventOutboxTests.Entry(id, DateTimeOffset.UnixEpoch);
        await using var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);

        // The script's first run on a connection is not timed out the same way (seen with StackExchange.Redis 3.4): warm it up.
        await lease.CommitAsync(Fixtures.NewRecord(id, offset: 1), Ct);

        // Redis runs one script at a time: 1.8 s of busy loop, during which the commit (sent 0.1 s in)
        // times out after 1 to 1.33 s and the settling read (1 s timeout of its own) waits behind it.
        var blocking = busy.Database.ScriptEvaluateAsync(
            """
            local function now() local t = redis.call('TIME') return t[1] * 1000 + t[2] / 1000 end
            local start = now()
            repeat until now() - start >= tonumber(ARGV[1])
            return 1
            """,
            values: [1800]);
        await Task.Delay(100, Ct);

        var committed = await lease.CommitAsync(Fixtures.NewRecord(id, offset: 7), [entry], Ct);
        await blocking;

        Assert.Equal(7, committed.Offset);
        Assert.Equal(7, (await coordination.GetAsync(id, Ct))?.Offset);
        Assert.Equal([entry], await coordination.ReadDueEventsAsync(DateTimeOffset.UnixEpoch, 10, Ct));
    }
}
