using System.Globalization;
using Etcdserverpb;
using Google.Protobuf;
using TusCluster.Coordination.Etcd.Grpc;
using TusCluster.Coordination.Etcd.HandOver;
using TusCluster.Coordination.Etcd.Locks;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Etcd;

/// <summary>The lock primitives of the acquire loop.</summary>
internal sealed partial class EtcdUploadCoordination
{
    /// <summary>One transaction: the lock and the record, or the holder's token.</summary>
    private async Task<AcquireAttempt> TryAcquireAsync(string uploadId, CancellationToken cancellationToken)
    {
        while (true)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            var session = await _sessions.GetAsync(cancellationToken);
            await _handOverWatch.EnsureAsync(cancellationToken);
            var attempt = ByteString.CopyFromUtf8($"{_ownerId}#{Interlocked.Increment(ref _attempts).ToString(CultureInfo.InvariantCulture)}");
            TxnResponse response;
            try
            {
                response = await _etcd.TxnAsync(LockTransactions.TryAcquire(_keys, uploadId, attempt, session.LeaseId), cancellationToken);
            }
            catch (CoordinationUnavailableException e) when (EtcdFailure.IsLeaseNotFound(e))
            {
                // The replica's etcd lease expired unnoticed: its holders are lost; take a new one.
                session.MarkLost();
                continue;
            }
            catch (Exception e) when (e is CoordinationUnavailableException or OperationCanceledException)
            {
                // The transaction may have been applied: never sent again, but read back.
                return await ResolveUnknownAsync(uploadId, attempt, session, e);
            }

            if (response.Succeeded)
            {
                var record = RecordCodec.Decode(response.Responses[1].ResponseRange.Kvs, uploadId);
                return AcquireAttempt.Taken(Hold(uploadId, response.Header.Revision, record, session));
            }

            var holder = response.Responses[0].ResponseRange.Kvs;
            return AcquireAttempt.Held(holder.Count > 0 ? holder[0].CreateRevision : 0);
        }
    }

    /// <summary>A request to a holder elsewhere is a put of its hand-over key; repeated in case its watch was reconnecting.</summary>
    TimeSpan IUploadLockSteps<AcquireAttempt>.HandOverRepeat => TimeSpan.FromMilliseconds(500);

    /// <summary>With the release watch confirmed, a poll only guards against a lost event.</summary>
    TimeSpan IUploadLockSteps<AcquireAttempt>.PollInterval => TimeSpan.FromMilliseconds(500);

    IReleaseWait<AcquireAttempt> IUploadLockSteps<AcquireAttempt>.ListenForRelease(string uploadId) =>
        new EtcdReleaseWait(_etcd, _keys.Lock(uploadId));

    async ValueTask<LockAttempt<AcquireAttempt>> IUploadLockSteps<AcquireAttempt>.TryAcquireAsync(string uploadId, CancellationToken cancellationToken)
    {
        var attempt = await TryAcquireAsync(uploadId, cancellationToken);
        return attempt.Lease is { } lease ? LockAttempt<AcquireAttempt>.Acquired(lease)
            : attempt.HolderToken == 0 ? LockAttempt<AcquireAttempt>.FoundFree()
            : LockAttempt<AcquireAttempt>.HeldBy(attempt);
    }

    /// <summary>Asks the holder to hand over: directly when it is on this replica, else through its hand-over key.</summary>
    async ValueTask<bool> IUploadLockSteps<AcquireAttempt>.RequestHandOverAsync(string uploadId, AcquireAttempt holder, CancellationToken cancellationToken)
    {
        if (_local.TryGetValue(uploadId, out var local) && local.FencingToken == holder.HolderToken)
        {
            local.RequestHandOver();
            return true;
        }

        await _etcd.PutAsync(new PutRequest { Key = _keys.HandOver(uploadId), Value = ByteString.CopyFromUtf8(_ownerId) }, cancellationToken);
        return true;
    }

    /// <summary>
    /// After a lock transaction whose outcome is unknown (deadline passed, connection lost after sending):
    /// reads the lock back. Holding it with this attempt's value means the transaction got in, so the lease
    /// is taken; otherwise the failure stands, and the lock is removed in the background should the attempt
    /// still get in (etcd may apply a request it read before the read-back) or if etcd cannot be read.
    /// </summary>
    private async Task<AcquireAttempt> ResolveUnknownAsync(string uploadId, ByteString attempt, Sessions.ReplicaSession session, Exception failure)
    {
        if (failure is OperationCanceledException || _stop.IsCancellationRequested)
        {
            _pendingReleases.Abandon(uploadId, attempt);
            throw failure;
        }

        TxnResponse read;
        try
        {
            read = await _etcd.TxnAsync(LockTransactions.ReadBack(_keys, uploadId), _stop.Token);
        }
        catch (Exception e) when (e is CoordinationUnavailableException or OperationCanceledException)
        {
            _pendingReleases.Abandon(uploadId, attempt);
            throw failure;
        }

        var held = read.Responses[0].ResponseRange.Kvs;
        if (held.Count > 0 && held[0].Value == attempt && !session.IsLost)
        {
            var record = RecordCodec.Decode(read.Responses[1].ResponseRange.Kvs, uploadId);
            return AcquireAttempt.Taken(Hold(uploadId, held[0].CreateRevision, record, session));
        }

        _pendingReleases.Abandon(uploadId, attempt);
        throw failure;
    }

    private EtcdUploadLease Hold(string uploadId, long token, Protocol.Uploads.UploadRecord? record, Sessions.ReplicaSession session)
    {
        var lease = new EtcdUploadLease(this, uploadId, token, record, session);
        _local[uploadId] = lease;
        return lease;
    }
}
