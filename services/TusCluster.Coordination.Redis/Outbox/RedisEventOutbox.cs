using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using TusCluster.Coordination.Outbox;
using TusCluster.Coordination.Redis.Connection;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Redis.Outbox;

/// <summary>
/// The outbox on Redis: each entry is a string key holding its JSON (<see cref="RedisKeys.OutboxEntry"/>),
/// and one sorted set (<see cref="RedisKeys.OutboxDue"/>) indexes them by due time, in Unix milliseconds
/// rounded down; reads then drop what is due later within the same millisecond. Entries are added only by
/// the commit script (<see cref="AddToCommit"/>). Postponing and deleting do not wait for replicas: a
/// failover that loses one only makes an entry due again, and delivery is at least once anyway. An entry that is
/// not one (see <see cref="OutboxEntryJson.TryRead"/>) is moved to <see cref="RedisKeys.UnreadableOutboxEntry"/>.
/// </summary>
internal sealed class RedisEventOutbox(RedisConnection connection, RedisKeys keys, ILogger logger)
{
    /// <summary>Rounds of read-then-compare a postponement may take while other deliverers change the entry.</summary>
    private const int PostponeRounds = 8;

    /// <summary>Appends the entries to the commit script's keys and arguments (see <see cref="RedisScripts.Commit"/>).</summary>
    public static (RedisKey[] Keys, RedisValue[] Values) AddToCommit(RedisKeys keys, IReadOnlyList<OutboxEntry> events, RedisKey[] commitKeys, RedisValue[] commitValues)
    {
        var scriptKeys = new List<RedisKey>(commitKeys.Length + 1 + events.Count);
        var values = new List<RedisValue>(commitValues.Length + 3 * events.Count);
        scriptKeys.AddRange(commitKeys);
        scriptKeys.Add(keys.OutboxDue);
        values.AddRange(commitValues);
        foreach (var entry in events)
        {
            scriptKeys.Add(keys.OutboxEntry(entry.Id));
            values.Add(entry.Id);
            values.Add(entry.DueAt.ToUnixTimeMilliseconds());
            values.Add(OutboxEntryJson.Serialize(entry));
        }

        return ([.. scriptKeys], [.. values]);
    }

    public async ValueTask<IReadOnlyList<OutboxEntry>> ReadDueAsync(DateTimeOffset upTo, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        connection.ThrowIfUnsupported();
        var ids = await RedisFailures.RunAsync(
            () => connection.Database.SortedSetRangeByScoreAsync(keys.OutboxDue, double.NegativeInfinity, upTo.ToUnixTimeMilliseconds(), take: limit),
            "ZRANGEBYSCORE").WaitAsync(cancellationToken);
        if (ids.Length == 0)
        {
            return [];
        }

        var stored = await RedisFailures.RunAsync(
            () => connection.Database.StringGetAsync([.. ids.Select(id => (RedisKey)keys.OutboxEntry((string)id!))]),
            "MGET").WaitAsync(cancellationToken);

        // A missing key was deleted since the range was read (delivered); one due later was postponed meanwhile.
        var due = new List<OutboxEntry>(stored.Length);
        for (var i = 0; i < stored.Length; i++)
        {
            if (stored[i].IsNull)
            {
                continue;
            }

            if (OutboxEntryJson.TryRead((byte[])stored[i]!, out var problem) is not { } entry)
            {
                await SetAsideAsync((string)ids[i]!, stored[i], problem);
            }
            else if (entry.DueAt <= upTo)
            {
                due.Add(entry);
            }
        }

        return due;
    }

    /// <summary>Moves an unreadable entry out of the outbox, unless it changed since it was read (then the next read looks again).</summary>
    private async Task SetAsideAsync(string id, RedisValue stored, string? problem)
    {
        var (key, deadLetter) = (keys.OutboxEntry(id), keys.UnreadableOutboxEntry(id));
        var moved = await RedisFailures.RunAsync(
            () => connection.Database.ScriptEvaluateAsync(RedisScripts.SetAsideEvent, [key, keys.OutboxDue, deadLetter], [stored, id], CommandFlags.CommandRetryNever),
            "the set-aside script");
        if ((long)moved == 1)
        {
            UnreadableOutboxEntries.SetAside(logger, "redis", key, deadLetter, problem);
        }
    }

    public async ValueTask PostponeAsync(OutboxEntry entry, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        OutboxEntries.Validate(entry);
        connection.ThrowIfUnsupported();
        var key = keys.OutboxEntry(entry.Id);
        for (var round = 0; round < PostponeRounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var json = await RedisFailures.RunAsync(() => connection.Database.StringGetAsync(key), "GET").WaitAsync(cancellationToken);
            if (json.IsNull)
            {
                return;
            }

            var stored = OutboxEntryJson.Deserialize((byte[])json!, "Redis");
            var moved = stored with { DueAt = dueAt, Attempts = stored.Attempts + 1 };

            // Not cancelled once sent, like every write here.
            var reply = await RedisFailures.RunAsync(
                () => connection.Database.ScriptEvaluateAsync(
                    RedisScripts.PostponeEvent,
                    [key, keys.OutboxDue],
                    [json, OutboxEntryJson.Serialize(moved), dueAt.ToUnixTimeMilliseconds(), entry.Id],
                    CommandFlags.CommandRetryNever),
                "the postpone script");
            if ((long)reply >= 0)
            {
                return;
            }
        }

        throw new CoordinationUnavailableException($"Outbox entry {entry.Id} changed {PostponeRounds} times while it was being postponed.");
    }

    public async ValueTask DeleteAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        OutboxEntries.Validate(entry);
        connection.ThrowIfUnsupported();
        cancellationToken.ThrowIfCancellationRequested();
        await RedisFailures.RunAsync(
            () => connection.Database.ScriptEvaluateAsync(RedisScripts.DeleteEvent, [keys.OutboxEntry(entry.Id), keys.OutboxDue], [entry.Id], CommandFlags.CommandRetryNever),
            "the delete script");
    }
}
