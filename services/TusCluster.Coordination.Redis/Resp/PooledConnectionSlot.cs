namespace TusCluster.Coordination.Redis.Resp;

/// <summary>One place in the pool: its current connection and the gate that serialises replacing it.</summary>
internal sealed class PooledConnectionSlot
{
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public RedisConnection? Connection { get; set; }
}
