using System.Globalization;
using TusCluster.Coordination.Contract;
using TusCluster.Coordination.Outbox;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Redis.Tests.Outbox;

/// <summary>The Redis layout of the outbox and what one commit costs at the server.</summary>
[Collection(UnreadableOutboxCollection.Name)]
public sealed class RedisEventOutboxTests
{
    private static readonly DateTimeOffset Noon = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static OutboxEntry Entry(string uploadId, DateTimeOffset dueAt) => new()
    {
        Id = UploadId.New(),
        UploadId = uploadId,
        DueAt = dueAt,
        Payload = $$"""{"Type":"post-finish","Upload":"{{uploadId}}"}""",
    };

    [Fact]
    public async Task Each_entry_is_a_json_string_key_indexed_by_due_milliseconds_and_survives_the_records_removal()
    {
        await using var server = await RedisServer.StartAsync();
        await using var coordination = Fixtures.Create(server);
        var id = UploadId.New();
        var entry = Entry(id, Noon.AddTicks(12_345));
        await using (var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct))
        {
            await lease.CommitAsync(Fixtures.NewRecord(id), [entry], Ct);
            await lease.RemoveAsync(Ct);
        }

        Assert.Equal(OutboxEntryJson.SerializeToString(entry), (string?)await coordination.Database.StringGetAsync($"tus:outbox:{entry.Id}"));
        Assert.Equal(Noon.ToUnixTimeMilliseconds() + 1, await coordination.Database.SortedSetScoreAsync("tus:outbox-due", entry.Id));
        Assert.False(await coordination.Database.KeyExistsAsync($"tus:{{{id}}}:record"));

        // Due within the millisecond of its score, but not before its own time.
        Assert.Empty(await coordination.ReadDueEventsAsync(entry.DueAt.AddTicks(-1), 10, Ct));
        Assert.Equal([entry], await coordination.ReadDueEventsAsync(entry.DueAt, 10, Ct));

        await coordination.DeleteEventAsync(entry, Ct);
        Assert.False(await coordination.Database.KeyExistsAsync($"tus:outbox:{entry.Id}"));
        Assert.False(await coordination.Database.KeyExistsAsync("tus:outbox-due"));
    }

    /// <summary>
    /// The PATCH hot path is one EVALSHA whether or not events ride along; the events are written inside
    /// it (Redis counts the commands a script calls in its command statistics).
    /// </summary>
    [Fact]
    public async Task A_commit_with_or_without_events_is_one_script_call()
    {
        await using var server = await RedisServer.StartAsync();
        await using var coordination = Fixtures.Create(server, o => o.LeaseTtl = TimeSpan.FromSeconds(60));
        await using var admin = Fixtures.Create(server, o => (o.Endpoint, o.Configuration) = (null, server.Endpoint + ",allowAdmin=true"));
        var id = UploadId.New();
        await using (var warmUp = await coordination.AcquireAsync(id, Fixtures.Generous, Ct))
        {
            await warmUp.CommitAsync(Fixtures.NewRecord(id), Ct);
        }

        var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        await admin.Database.ExecuteAsync("CONFIG", "RESETSTAT");
        await lease.CommitAsync(Fixtures.NewRecord(id, offset: 1), Ct);
        var withoutEvents = await CommandCallsAsync(admin);
        await admin.Database.ExecuteAsync("CONFIG", "RESETSTAT");
        await lease.CommitAndReleaseAsync(Fixtures.NewRecord(id, offset: 2), [Entry(id, Noon), Entry(id, Noon)], Ct);
        var withEvents = await CommandCallsAsync(admin);

        Assert.Equal(1, withoutEvents.GetValueOrDefault("evalsha"));
        Assert.Equal(1, withoutEvents.GetValueOrDefault("set"));
        Assert.Equal(0, withoutEvents.GetValueOrDefault("zadd"));
        Assert.Equal(1, withEvents.GetValueOrDefault("evalsha"));
        Assert.Equal(3, withEvents.GetValueOrDefault("set"));
        Assert.Equal(2, withEvents.GetValueOrDefault("zadd"));
        Assert.Equal(2, (await coordination.ReadDueEventsAsync(Noon, 10, Ct)).Count);
    }

    /// <summary>Redis does not roll a script back when a call fails: the commit script must fail before it writes a string.</summary>
    [Theory]
    [InlineData("tus:outbox-due")]
    [InlineData("tus:expiry")]
    public async Task A_commit_failing_on_a_key_of_the_wrong_type_stores_neither_record_nor_events(string brokenIndex)
    {
        await using var server = await RedisServer.StartAsync();
        await using var coordination = Fixtures.Create(server);
        var id = UploadId.New();
        await using var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        var committed = await lease.CommitAsync(Fixtures.NewRecord(id, offset: 1), Ct);
        await coordination.Database.StringSetAsync(brokenIndex, "not a sorted set");

        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await lease.CommitAsync(committed with { Offset = 2 }, [Entry(id, Noon)], Ct));

        Assert.Equal(1, (await coordination.GetAsync(id, Ct))?.Offset);
        await coordination.Database.KeyDeleteAsync(brokenIndex);
        Assert.Empty(await coordination.ReadDueEventsAsync(Noon, 10, Ct));
    }

    [Fact]
    public async Task With_redis_down_every_outbox_call_is_unavailable()
    {
        await using var server = await RedisServer.StartAsync();
        await using var coordination = Fixtures.Create(server);
        var id = UploadId.New();
        var entry = Entry(id, Noon);
        await using var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        await server.KillAsync();

        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await lease.CommitAsync(Fixtures.NewRecord(id), [entry], Ct));
        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.ReadDueEventsAsync(Noon, 10, Ct));
        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.PostponeEventAsync(entry, Noon.AddMinutes(1), Ct));
        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.DeleteEventAsync(entry, Ct));
    }

    [Fact]
    public async Task An_unreadable_entry_is_moved_to_its_own_key_out_of_the_due_index()
    {
        await using var server = await RedisServer.StartAsync();
        await using var coordination = Fixtures.Create(server);
        var entry = Entry(UploadId.New(), Noon);
        await coordination.Database.StringSetAsync($"tus:outbox:{entry.Id}", "{not json");
        await coordination.Database.SortedSetAddAsync("tus:outbox-due", entry.Id, Noon.ToUnixTimeMilliseconds());

        Assert.Empty(await coordination.ReadDueEventsAsync(Noon, 10, Ct));

        Assert.Equal("{not json", (string?)await coordination.Database.StringGetAsync($"tus:outbox-unreadable:{entry.Id}"));
        Assert.False(await coordination.Database.KeyExistsAsync($"tus:outbox:{entry.Id}"));
        Assert.Null(await coordination.Database.SortedSetScoreAsync("tus:outbox-due", entry.Id));
    }

    [Fact]
    public async Task An_entry_that_became_readable_before_it_was_set_aside_stays_in_the_outbox()
    {
        await using var server = await RedisServer.StartAsync();
        await using var coordination = Fixtures.Create(server);
        var entry = Entry(UploadId.New(), Noon);
        await coordination.Database.StringSetAsync($"tus:outbox:{entry.Id}", OutboxEntryJson.Serialize(entry));
        await coordination.Database.SortedSetAddAsync("tus:outbox-due", entry.Id, Noon.ToUnixTimeMilliseconds());

        // The script compares the bytes it was given: a writer that changed the entry since the read wins.
        var moved = await coordination.Database.ScriptEvaluateAsync(
            RedisScripts.SetAsideEvent, [$"tus:outbox:{entry.Id}", "tus:outbox-due", $"tus:outbox-unreadable:{entry.Id}"], ["{not json", entry.Id]);

        Assert.Equal(0, (long)moved);
        Assert.Equal([entry], await coordination.ReadDueEventsAsync(Noon, 10, Ct));
        Assert.False(await coordination.Database.KeyExistsAsync($"tus:outbox-unreadable:{entry.Id}"));
    }

    private static async Task<Dictionary<string, long>> CommandCallsAsync(RedisUploadCoordination admin)
    {
        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        var info = (string)(await admin.Database.ExecuteAsync("INFO", "commandstats"))!;
        foreach (var line in info.Split('\n', StringSplitOptions.TrimEntries))
        {
            // cmdstat_evalsha:calls=1,usec=20,usec_per_call=20.00,rejected_calls=0,failed_calls=0
            if (line.StartsWith("cmdstat_", StringComparison.Ordinal) && line.IndexOf(":calls=", StringComparison.Ordinal) is > 0 and var colon)
            {
                var count = line[(colon + ":calls=".Length)..].Split(',')[0];
                calls[line["cmdstat_".Length..colon]] = long.Parse(count, CultureInfo.InvariantCulture);
            }
        }

        return calls;
    }
}
