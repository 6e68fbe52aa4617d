namespace TusCluster.Coordination.Etcd.Sessions;

/// <summary>
/// The etcd lease of this replica: every lock key it writes is attached to it, so the locks of a
/// replica that dies (or cannot renew) vanish after the TTL. Once lost, it stays lost; the next
/// acquisition grants a new one.
/// </summary>
internal sealed class ReplicaSession(long leaseId)
{
    private readonly CancellationTokenSource _lost = new();

    public long LeaseId { get; } = leaseId;

    public CancellationToken Lost => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    /// <summary>Returns true for the call that marked it lost.</summary>
    public bool MarkLost()
    {
        if (_lost.IsCancellationRequested)
        {
            return false;
        }

        try
        {
            _lost.Cancel();
            return true;
        }
        catch (AggregateException)
        {
            // A callback of a holder threw; the lease is lost all the same.
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }
}
