using Etcdserverpb;
using TusCluster.Coordination.Etcd.Locks;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Etcd;

/// <summary>The writes of a held lease, each one transaction guarded by its fencing token, and its release.</summary>
internal sealed partial class EtcdUploadCoordination
{
    /// <summary>
    /// Writes the record and its events in one guarded transaction. When its outcome is unknown, both or
    /// neither were written; the events' keys are their own (id and due time), so a caller that commits
    /// the same events again after a 503 puts them again rather than doubling them.
    /// </summary>
    internal async Task CommitAsync(EtcdUploadLease lease, UploadRecord record, IReadOnlyList<RequestOp> eventPuts, bool release, CancellationToken cancellationToken)
    {
        await EnsureRecordKnownAsync(lease, cancellationToken);
        await GuardedTxnAsync(lease, LockTransactions.Commit(_keys, lease.FencingToken, lease.Record, record, eventPuts, release), "commit", cancellationToken);
    }

    internal async Task RemoveAsync(EtcdUploadLease lease, CancellationToken cancellationToken)
    {
        await EnsureRecordKnownAsync(lease, cancellationToken);
        await GuardedTxnAsync(lease, LockTransactions.Remove(_keys, lease.UploadId, lease.FencingToken, lease.Record), "remove", cancellationToken);
    }

    /// <summary>Forgets a lease whose lock the committing transaction already deleted.</summary>
    internal void Forget(EtcdUploadLease lease) =>
        _local.TryRemove(new KeyValuePair<string, EtcdUploadLease>(lease.UploadId, lease));

    internal async Task ReleaseAsync(EtcdUploadLease lease)
    {
        Forget(lease);
        if (lease.Lost.IsCancellationRequested)
        {
            // The lock went with the replica's etcd lease.
            return;
        }

        await _pendingReleases.ReleaseAsync(lease.UploadId, lease.FencingToken);
    }

    private async Task GuardedTxnAsync(EtcdUploadLease lease, TxnRequest txn, string what, CancellationToken cancellationToken)
    {
        TxnResponse response;
        try
        {
            response = await _etcd.TxnAsync(txn, cancellationToken);
        }
        catch (Exception e) when (e is CoordinationUnavailableException or OperationCanceledException)
        {
            // The write may or may not have happened, and is not sent again: the record is read again before the next one.
            lease.RecordKnown = false;
            throw;
        }

        if (!response.Succeeded)
        {
            throw new LeaseLostException($"The lease {lease.FencingToken} of upload {lease.UploadId} is no longer held; the {what} was not written.");
        }
    }

    private async Task EnsureRecordKnownAsync(EtcdUploadLease lease, CancellationToken cancellationToken)
    {
        if (!lease.RecordKnown)
        {
            lease.Record = await GetAsync(lease.UploadId, cancellationToken);
            lease.RecordKnown = true;
        }
    }
}
