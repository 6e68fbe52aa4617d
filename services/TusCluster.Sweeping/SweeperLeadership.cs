using TusCluster.Protocol.Uploads;

namespace TusCluster.Sweeping;

/// <summary>
/// The leader lease is an ordinary upload lease on an id that no upload can get: upload ids are 128
/// random bits, and this one is all zeros. Every backend accepts it (it is a well-formed id), keeps it
/// alive while held and lets it expire after its TTL when the holder dies, which is all a leader
/// election needs. The engine answers every request naming this id 404 at once, without the lock.
/// </summary>
internal static class SweeperLeadership
{
    public const string LeaseId = UploadId.Reserved;

    /// <summary>How long a standby waits for the lease per attempt; it retries at once, so it takes over within a TTL.</summary>
    public static readonly TimeSpan StandbyAttempt = TimeSpan.FromSeconds(1);

    /// <summary>Pause after the coordination backend failed, before trying again.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(1);
}
