using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Coordination;

/// <summary>
/// Exclusive, fenced access to one upload. Disposing releases the lease (idempotent).
/// </summary>
public interface IUploadLease : IAsyncDisposable
{
    string UploadId { get; }

    /// <summary>Strictly greater than every token any earlier holder of this upload received.</summary>
    long FencingToken { get; }

    /// <summary>The record as committed when the lease was taken; null when none exists yet.</summary>
    UploadRecord? Record { get; }

    /// <summary>Signalled when another request asks this holder to stop and hand the upload over.</summary>
    CancellationToken HandOverRequested { get; }

    /// <summary>Signalled when the lease has expired or could not be renewed: stop writing at once.</summary>
    CancellationToken Lost { get; }

    /// <summary>
    /// Stores <paramref name="record"/> (creating it when absent) only if this lease's fencing token is
    /// still the newest for the upload; also keeps the expiry index in step with
    /// <see cref="UploadRecord.ExpiresAt"/>. The stored record's <see cref="UploadRecord.Fence"/> is
    /// this lease's token. Returns the stored record.
    /// </summary>
    /// <exception cref="LeaseLostException">A newer holder exists; nothing was written.</exception>
    ValueTask<UploadRecord> CommitAsync(UploadRecord record, CancellationToken cancellationToken) =>
        CommitAsync(record, [], cancellationToken);

    /// <summary>
    /// Commits like <see cref="CommitAsync(UploadRecord, CancellationToken)"/> and, in the same atomic
    /// step, adds <paramref name="events"/> to the outbox (<see cref="IEventOutbox"/>): either the record
    /// and every event are stored, or nothing is.
    /// </summary>
    /// <exception cref="LeaseLostException">A newer holder exists; nothing was written.</exception>
    ValueTask<UploadRecord> CommitAsync(UploadRecord record, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken);

    /// <summary>
    /// Commits like <see cref="CommitAsync(UploadRecord, CancellationToken)"/> and then releases the lease, in one round trip where the
    /// backend can (the hot path of a PATCH is then acquire plus this). After it returns, whether the
    /// commit succeeded or not, the lease is released and disposing it does nothing.
    /// </summary>
    /// <exception cref="LeaseLostException">A newer holder exists; nothing was written.</exception>
    ValueTask<UploadRecord> CommitAndReleaseAsync(UploadRecord record, CancellationToken cancellationToken) =>
        CommitAndReleaseAsync(record, [], cancellationToken);

    /// <summary>Commits with <paramref name="events"/> like <see cref="CommitAsync(UploadRecord, IReadOnlyList{OutboxEntry}, CancellationToken)"/>, then releases.</summary>
    /// <exception cref="LeaseLostException">A newer holder exists; nothing was written.</exception>
    async ValueTask<UploadRecord> CommitAndReleaseAsync(UploadRecord record, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken)
    {
        try
        {
            return await CommitAsync(record, events, cancellationToken);
        }
        finally
        {
            await DisposeAsync();
        }
    }

    /// <summary>
    /// Removes the record (and its expiry index entry) if this lease is still the newest. Used by the
    /// sweeper once a tombstone has aged out.
    /// </summary>
    /// <exception cref="LeaseLostException">A newer holder exists; nothing was removed.</exception>
    ValueTask RemoveAsync(CancellationToken cancellationToken);
}
