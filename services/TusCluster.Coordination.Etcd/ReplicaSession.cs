using System.Diagnostics;

namespace TusCluster.Coordination.Etcd;

/// <summary>
/// The etcd lease of this replica: every lock key it writes is attached to it, so the locks of a
/// replica that dies (or cannot renew) vanish after the TTL. Once lost, it stays lost; the next
/// acquisition grants a new one.
/// </summary>
internal sealed class ReplicaSession(long leaseId, long renewedAt)
{
    private readonly CancellationTokenSource _lost = new();
    private long _renewedAt = renewedAt;

    public long LeaseId { get; } = leaseId;

    public CancellationToken Lost => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    /// <summary><see cref="Stopwatch"/> timestamp at which the last successful renewal was sent.</summary>
    public long RenewedAt => Interlocked.Read(ref _renewedAt);

    public void Renewed(long sentAt) => Interlocked.Exchange(ref _renewedAt, sentAt);

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
    }
}
