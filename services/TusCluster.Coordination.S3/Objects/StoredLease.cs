namespace TusCluster.Coordination.S3;

/// <summary>The lease part of an upload's document: whose it is and until when (Unix milliseconds, the writer's wall clock).</summary>
internal sealed record StoredLease(long Token, string Owner, long ExpiresAtMs);
