using TusCluster.Coordination.Outbox;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.PostgreSql;

/// <summary>
/// The outbox table: entries are inserted only by the commit statement; reads go through the index on the due time.
/// Postponing counts the attempt in the same UPDATE, so it needs no read first; it and deleting match the entry by
/// id, so a deleted (delivered) entry is never revived.
/// </summary>
internal sealed partial class PostgresUploadCoordination
{
    public async ValueTask<IReadOnlyList<OutboxEntry>> ReadDueEventsAsync(DateTimeOffset upTo, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        return await Calls.RunAsync("an outbox read", async (command, token) =>
        {
            command.CommandText = Statements.ReadDueEvents;
            command.Parameters.Add(PostgresValues.Bound(upTo));
            command.Parameters.Add(PostgresValues.Bigint(limit));
            var entries = new List<OutboxEntry>();
            await using var reader = await command.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
            {
                entries.Add(new OutboxEntry
                {
                    Id = reader.GetString(0),
                    UploadId = reader.GetString(1),
                    DueAt = PostgresValues.Instant(reader.GetDateTime(2)),
                    Attempts = reader.GetInt32(3),
                    Payload = reader.GetString(4),
                });
            }

            return entries;
        }, cancellationToken);
    }

    public async ValueTask PostponeEventAsync(OutboxEntry entry, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        OutboxEntries.Validate(entry);
        cancellationToken.ThrowIfCancellationRequested();
        await Calls.ExecuteAsync(
            "an outbox postponement", Statements.PostponeEvent, [PostgresValues.Text(entry.Id), PostgresValues.Stored(dueAt)], CancellationToken.None);
    }

    public async ValueTask DeleteEventAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        OutboxEntries.Validate(entry);
        cancellationToken.ThrowIfCancellationRequested();
        await Calls.ExecuteAsync("an outbox deletion", Statements.DeleteEvent, [PostgresValues.Text(entry.Id)], CancellationToken.None);
    }
}
