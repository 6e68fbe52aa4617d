namespace TusCluster.Sweeping;

/// <summary>Why an upload was reclaimed; the <c>policy</c> tag of the sweeper's metrics.</summary>
internal enum SweepPolicy
{
    /// <summary>An unfinished upload passed its expiry.</summary>
    Expired,

    /// <summary>A finished upload passed <see cref="SweeperOptions.FinishedRetention"/>.</summary>
    Retention,

    /// <summary>A terminated or expired upload's tombstone passed Tus:TombstoneRetention.</summary>
    Tombstone,

    /// <summary>Bytes without a record, older than <see cref="SweeperOptions.OrphanGracePeriod"/>.</summary>
    Orphan,
}
