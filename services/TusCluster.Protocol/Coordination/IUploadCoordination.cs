using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Coordination;

/// <summary>
/// Cluster-wide coordination of uploads: per-upload lease locks with fencing tokens, upload records
/// changed only under the newest fence, and an expiry index. Implementations: in-process (embedded),
/// Redis, etcd, DynamoDB. Every method throws <see cref="CoordinationUnavailableException"/> when the
/// backend cannot be reached, so the caller can answer 503 and lose nothing.
/// </summary>
public interface IUploadCoordination
{
    /// <summary>Reads the committed record without taking a lock; null when it does not exist.</summary>
    ValueTask<UploadRecord?> GetAsync(string uploadId, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the upload's lease. When another request holds it, asks that holder to hand over
    /// (it commits what it has and releases) and waits up to <paramref name="timeout"/>.
    /// The returned lease carries the record as read under the lock (null for a new upload).
    /// </summary>
    /// <exception cref="LockTimeoutException">The lease could not be had in time.</exception>
    ValueTask<IUploadLease> AcquireAsync(string uploadId, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// Returns up to <paramref name="limit"/> entries of the expiry index whose time is at or
    /// before <paramref name="upTo"/>, oldest first. The cost grows with what has expired only.
    /// </summary>
    ValueTask<IReadOnlyList<ExpiryEntry>> ReadExpiredAsync(DateTimeOffset upTo, int limit, CancellationToken cancellationToken);

    /// <summary>True when the backend answers; used by readiness.</summary>
    ValueTask<bool> IsHealthyAsync(CancellationToken cancellationToken);
}
