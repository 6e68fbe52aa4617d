namespace TusCluster.Protocol.Coordination;

/// <summary>
/// The undelivered events of a coordination backend. Entries are added only by
/// <see cref="IUploadLease.CommitAsync(Uploads.UploadRecord, IReadOnlyList{OutboxEntry}, CancellationToken)"/>;
/// a deliverer reads what is due, delivers, and deletes or postpones. Two deliverers may read the same
/// entry: delivery is at least once. Every method throws <see cref="CoordinationUnavailableException"/>
/// when the backend cannot be reached.
/// </summary>
public interface IEventOutbox
{
    /// <summary>
    /// Up to <paramref name="limit"/> entries due at or before <paramref name="upTo"/>, earliest first.
    /// The cost grows with what is due, not with what is stored.
    /// </summary>
    ValueTask<IReadOnlyList<OutboxEntry>> ReadDueEventsAsync(DateTimeOffset upTo, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a still-present entry to <paramref name="dueAt"/> with one more failed attempt counted.
    /// Does nothing when the entry is gone (another deliverer delivered it).
    /// </summary>
    ValueTask PostponeEventAsync(OutboxEntry entry, DateTimeOffset dueAt, CancellationToken cancellationToken);

    /// <summary>Removes a delivered (or abandoned) entry. Idempotent.</summary>
    ValueTask DeleteEventAsync(OutboxEntry entry, CancellationToken cancellationToken);
}
