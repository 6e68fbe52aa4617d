using NpgsqlTypes;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.PostgreSql;

/// <summary>
/// The commit: one statement stores the record, moves its expiry, inserts the events and (for commit-and-release)
/// frees the lease and notifies, only while the row holds this lease's fence. A commit whose reply was lost is
/// settled by reading the record and the events, never by sending it again.
/// </summary>
internal sealed partial class PostgresUploadLease
{
    protected override async Task CommitCoreAsync(UploadRecord stored, IReadOnlyList<OutboxEntry> events, bool release, CancellationToken cancellationToken)
    {
        var json = UploadRecordJson.SerializeToString(stored);
        long committed;
        try
        {
            committed = await _owner.Calls.RunAsync("a commit", async (command, token) =>
            {
                command.CommandText = _owner.Statements.Commit;
                command.Parameters.AddRange(new[]
                {
                    PostgresValues.Text(UploadId),
                    PostgresValues.Bigint(FencingToken),
                    PostgresValues.Text(json),
                    PostgresValues.Stored(stored.ExpiresAt),
                    PostgresValues.Boolean(release),
                    PostgresValues.Array(NpgsqlDbType.Text, events.Select(e => e.Id).ToArray()),
                    PostgresValues.Array(NpgsqlDbType.TimestampTz, events.Select(e => PostgresValues.RoundUp(e.DueAt)).ToArray()),
                    PostgresValues.Array(NpgsqlDbType.Integer, events.Select(e => e.Attempts).ToArray()),
                    PostgresValues.Array(NpgsqlDbType.Text, events.Select(e => e.Payload).ToArray()),
                    PostgresValues.Text(_owner.Statements.ReleasedChannel),
                });
                return (long)(await command.ExecuteScalarAsync(token))!;
            }, CancellationToken.None);
        }
        catch (CoordinationUnavailableException e)
        {
            await VerifyCommittedAsync(json, events, e);
            if (release)
            {
                await _owner.ReleaseAsync(UploadId, FencingToken);
            }

            return;
        }

        if (committed != 1)
        {
            MarkLost();
            throw new LeaseLostException($"The lease {FencingToken} of upload {UploadId} is no longer held; the commit was not stored.");
        }
    }

    /// <summary>
    /// After a commit with an unknown outcome: it counts as done only if the record now is exactly what this lease
    /// wrote and, when it carried events, they are stored (an earlier commit of this lease may have left the same
    /// record; only this one writes these entries, though a deliverer may already have deleted one: that case stays
    /// unknown, and unavailable).
    /// </summary>
    private async Task VerifyCommittedAsync(string json, IReadOnlyList<OutboxEntry> events, CoordinationUnavailableException failure)
    {
        if (await ReadAfterFailureAsync(failure, "commit") != json)
        {
            throw new CoordinationUnavailableException($"The commit of upload {UploadId} under fence {FencingToken} was not stored.", failure);
        }

        if (events.Count == 0)
        {
            return;
        }

        long storedEvents;
        try
        {
            storedEvents = await _owner.Calls.RunAsync("an outbox read", async (command, token) =>
            {
                command.CommandText = _owner.Statements.ReadEvents;
                command.Parameters.Add(PostgresValues.Array(NpgsqlDbType.Text, events.Select(e => e.Id).ToArray()));
                return (long)(await command.ExecuteScalarAsync(token))!;
            }, CancellationToken.None);
        }
        catch (CoordinationUnavailableException)
        {
            throw new CoordinationUnavailableException($"The commit of upload {UploadId} under fence {FencingToken} has an unknown outcome.", failure);
        }

        if (storedEvents != events.Count)
        {
            throw new CoordinationUnavailableException($"The commit of upload {UploadId} under fence {FencingToken} has an unknown outcome: its record is stored, not all of its events are.", failure);
        }
    }

    /// <summary>The record's stored JSON, or unavailable (with <paramref name="failure"/> inside) when it cannot be read either.</summary>
    private async Task<string?> ReadAfterFailureAsync(CoordinationUnavailableException failure, string what)
    {
        try
        {
            return await _owner.Calls.RunAsync("a read", async (command, token) =>
            {
                command.CommandText = _owner.Statements.Get;
                command.Parameters.Add(PostgresValues.Text(UploadId));
                return await command.ExecuteScalarAsync(token) as string;
            }, CancellationToken.None);
        }
        catch (CoordinationUnavailableException)
        {
            throw new CoordinationUnavailableException($"The {what} of upload {UploadId} under fence {FencingToken} has an unknown outcome.", failure);
        }
    }
}
