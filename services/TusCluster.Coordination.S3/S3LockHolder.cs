namespace TusCluster.Coordination.S3;

/// <summary>The holder a failed acquire found: its token, and its lease when it is on this replica.</summary>
internal readonly record struct S3LockHolder(long Token, S3UploadLease? Local);
