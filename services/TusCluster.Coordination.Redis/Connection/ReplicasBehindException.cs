namespace TusCluster.Coordination.Redis.Connection;

/// <summary>
/// A write reached the primary, but fewer replicas than <c>WaitForReplicas</c> acknowledged it in time,
/// so a failover could still lose it. Its outcome on the primary is known; its durability is not.
/// </summary>
internal sealed class ReplicasBehindException(long acknowledged, int required, TimeSpan waited)
    : Exception($"{acknowledged} of {required} replicas acknowledged the write within {waited}.")
{
    public long Acknowledged { get; } = acknowledged;
}
