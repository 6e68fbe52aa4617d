namespace TusCluster.Sweeping;

/// <summary>What one pass did (or, in a dry run, would have done).</summary>
/// <param name="Examined">Expiry index entries looked at.</param>
/// <param name="Reclaimed">Uploads deleted (or reported by a dry run), tombstones and orphans included.</param>
/// <param name="Busy">Uploads whose lease could not be had: a request is writing them; retried next pass.</param>
/// <param name="Failed">Entries that failed (store or coordination error); retried next pass.</param>
/// <param name="BytesReclaimed">Committed bytes of the reclaimed uploads.</param>
/// <param name="Lag">Age of the oldest expired entry left in the index after the pass.</param>
internal sealed record SweepReport(int Examined, int Reclaimed, int Busy, int Failed, long BytesReclaimed, TimeSpan Duration, TimeSpan Lag);
