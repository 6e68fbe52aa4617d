namespace TusCluster.Coordination.Etcd.Locks;

/// <summary>
/// The outcome of one try to take a lock: the lease, or the holder's fencing token (0: released between
/// the compare and the read, so try again at once).
/// </summary>
internal readonly record struct AcquireAttempt(EtcdUploadLease? Lease, long HolderToken)
{
    public static AcquireAttempt Taken(EtcdUploadLease lease) => new(lease, 0);

    public static AcquireAttempt Held(long holderToken) => new(null, holderToken);
}
