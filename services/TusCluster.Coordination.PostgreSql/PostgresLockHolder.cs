namespace TusCluster.Coordination.PostgreSql;

/// <summary>
/// Nothing needs to be known of a holder: the hand-over request is a notification on the schema's channel,
/// whichever replica holds the upload, and its release is announced on another.
/// </summary>
internal readonly record struct PostgresLockHolder;
