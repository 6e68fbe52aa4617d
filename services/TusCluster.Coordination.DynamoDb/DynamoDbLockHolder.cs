namespace TusCluster.Coordination.DynamoDb;

/// <summary>The holder a failed acquire found: a lease of this replica, or (null) one of another replica.</summary>
internal readonly record struct DynamoDbLockHolder(DynamoDbUploadLease? Local);
