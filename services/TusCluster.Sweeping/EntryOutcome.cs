namespace TusCluster.Sweeping;

/// <summary>What the sweeper did with one expiry index entry.</summary>
internal enum EntryOutcome
{
    /// <summary>Deleted (bytes, then record or tombstone); the entry left the index.</summary>
    Reclaimed,

    /// <summary>Left alone: written to since it was indexed (re-indexed by that commit), or a dry run.</summary>
    Kept,

    /// <summary>The index entry was stale or needless and was corrected.</summary>
    Reindexed,

    /// <summary>Its lease could not be had in time: a request holds it.</summary>
    Busy,

    /// <summary>A store or coordination error; the entry stays for the next pass.</summary>
    Failed,
}
