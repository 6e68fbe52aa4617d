using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.S3;

/// <summary>
/// Everything the backend keeps about one upload, in one object so that one conditional PUT changes it
/// atomically: the last fence drawn (kept after the record is removed, so fences are never reused), the lease,
/// the record, the expiry index key that refers to it and the events not yet delivered.
/// </summary>
internal sealed record UploadDocument
{
    /// <summary>Undelivered events one upload may accumulate; beyond it commits with events get a 503 until the deliverer catches up.</summary>
    public const int MaxEvents = 64;

    public static readonly UploadDocument Empty = new();

    public long Fence { get; init; }

    public StoredLease? Lease { get; init; }

    public UploadRecord? Record { get; init; }

    /// <summary>The expiry index key written for <see cref="Record"/>; its time is at or before the record's expiry.</summary>
    public string? ExpiryKey { get; init; }

    public IReadOnlyList<OutboxEntry> Events { get; init; } = [];

    /// <summary>
    /// Elements of the stored events that are not valid entries, as their JSON text: written back unchanged with every
    /// change of the document until the outbox sets them aside, so that one bad event makes neither the upload nor
    /// the outbox unreadable.
    /// </summary>
    public IReadOnlyList<string> UnreadableEvents { get; init; } = [];

    public bool IsHeldBy(long token) => Lease?.Token == token;
}
