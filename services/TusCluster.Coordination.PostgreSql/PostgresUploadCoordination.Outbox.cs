using TusCluster.Coordination.Outbox;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.PostgreSql;

/// <summary>
/// The outbox table: entries are inserted only by the commit statement; reads go through the index on the due time.
/// Postponing counts the attempt in the same UPDATE, so it needs no read first; it and deleting match the entry by
/// id, so a deleted (delivered) entry is never revived. A row that is not a valid entry is set aside in place: due at
/// <c>infinity</c>, never read again (<see cref="PostgresStatements.SetAsideEvent"/>).
/// </summary>
internal sealed partial class PostgresUploadCoordination
{
    public async ValueTask<IReadOnlyList<OutboxEntry>> ReadDueEventsAsync(DateTimeOffset upTo, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        var rows = await Calls.RunAsync("an outbox read", async (command, token) =>
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

        // The columns are typed, but nothing in the table checks ids, attempts or the payload's size as the kit does.
        var due = new List<OutboxEntry>(rows.Count);
        foreach (var row in rows)
        {
            if (OutboxEntries.Malformation(row) is { } problem)
            {
                await SetAsideAsync(row.Id, problem);
            }
            else
            {
                due.Add(row);
            }
        }

        return due;
    }

    private async Task SetAsideAsync(string id, string problem)
    {
        if (await Calls.ExecuteAsync("an outbox set-aside", Statements.SetAsideEvent, [PostgresValues.Text(id)], CancellationToken.None) == 1)
        {
            var row = $"{Options.Schema}.outbox row id '{id}'";
            UnreadableOutboxEntries.SetAside(_logger, "postgresql", row, $"{row}, due_at 'infinity'", problem);
        }
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
