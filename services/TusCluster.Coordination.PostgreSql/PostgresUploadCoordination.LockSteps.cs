using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.PostgreSql;

/// <summary>
/// The primitive steps the shared acquire loop drives: one conditional INSERT ... ON CONFLICT DO UPDATE takes the
/// lease and reads the record; a NOTIFY asks the holder, wherever it runs, to hand over; its release is a NOTIFY too.
/// </summary>
internal sealed partial class PostgresUploadCoordination
{
    /// <summary>How often a waiting acquirer tries again when no release notice arrives (notifications can be lost).</summary>
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>A request is lost only while the holder's listening connection reconnects; repeat it now and then.</summary>
    TimeSpan IUploadLockSteps<PostgresLockHolder>.HandOverRepeat => TimeSpan.FromMilliseconds(500);

    TimeSpan IUploadLockSteps<PostgresLockHolder>.PollInterval => PollInterval;

    IReleaseWait<PostgresLockHolder> IUploadLockSteps<PostgresLockHolder>.ListenForRelease(string uploadId) =>
        new ReleaseSignalWait<PostgresLockHolder>(_releases, uploadId);

    async ValueTask<LockAttempt<PostgresLockHolder>> IUploadLockSteps<PostgresLockHolder>.TryAcquireAsync(string uploadId, CancellationToken cancellationToken) =>
        await TryAcquireAsync(uploadId) is { } lease ? LockAttempt<PostgresLockHolder>.Acquired(lease) : LockAttempt<PostgresLockHolder>.HeldBy(default);

    async ValueTask<bool> IUploadLockSteps<PostgresLockHolder>.RequestHandOverAsync(string uploadId, PostgresLockHolder holder, CancellationToken cancellationToken)
    {
        await Calls.RunAsync("a hand-over request", async (command, token) =>
        {
            command.CommandText = "SELECT pg_notify($1, $2)";
            command.Parameters.Add(PostgresValues.Text(Statements.HandOverChannel));
            command.Parameters.Add(PostgresValues.Text(uploadId));
            return await command.ExecuteNonQueryAsync(token);
        }, cancellationToken);
        return true;
    }

    /// <summary>Takes the lease if it is free or lapsed and returns the running lease; null while another holds it.</summary>
    private async Task<PostgresUploadLease?> TryAcquireAsync(string uploadId)
    {
        var attemptStarted = Environment.TickCount64;
        var holder = Guid.NewGuid();
        (long Fence, string? Record)? taken;
        try
        {
            // Not cancellable once sent: a lease taken by a statement nobody waits for would block the upload for a TTL.
            taken = await Calls.RunAsync("an acquire", async (command, token) =>
            {
                command.CommandText = Statements.Acquire;
                command.Parameters.Add(PostgresValues.Text(uploadId));
                command.Parameters.Add(PostgresValues.Uuid(holder));
                command.Parameters.Add(PostgresValues.Bigint(LeaseTtlMilliseconds));
                await using var reader = await command.ExecuteReaderAsync(token);
                return await reader.ReadAsync(token) ? (reader.GetInt64(0), await reader.IsDBNullAsync(1, token) ? null : reader.GetString(1)) : ((long, string?)?)null;
            }, CancellationToken.None);
        }
        catch (CoordinationUnavailableException)
        {
            // The acquire may have taken the lease without anyone learning its fence: free it by the attempt's holder id.
            await ReleaseAttemptAsync(uploadId, holder);
            throw;
        }

        if (taken is not { } row)
        {
            return null;
        }

        UploadRecord? record;
        try
        {
            record = Deserialize(uploadId, row.Record);
        }
        catch (CoordinationUnavailableException)
        {
            await ReleaseAsync(uploadId, row.Fence);
            throw;
        }

        var lease = new PostgresUploadLease(this, uploadId, row.Fence, record, attemptStarted);
        _leases[uploadId] = lease;
        lease.StartKeepAlive();
        return lease;
    }

    private Task ReleaseAttemptAsync(string uploadId, Guid holder) =>
        TryReleaseAsync("a release of an unknown acquire", Statements.ReleaseAttempt, [PostgresValues.Text(uploadId), PostgresValues.Uuid(holder)]);
}
