using Etcdserverpb;
using Google.Protobuf;
using TusCluster.Coordination.Etcd.Keys;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Etcd.Locks;

/// <summary>
/// The transactions on an upload's lock key. A lock is taken by creating the key (create revision 0
/// before), attached to the replica's etcd lease, with a value unique to the attempt; the revision of
/// that transaction is the key's create revision and so the fencing token. Every later write compares
/// the create revision with the token, so it succeeds only while this very lock key exists.
/// </summary>
internal static class LockTransactions
{
    /// <summary>Takes the lock and reads the record in one round trip; a stale hand-over request goes with it. On failure it reads the holder.</summary>
    public static TxnRequest TryAcquire(EtcdKeys keys, string uploadId, ByteString attempt, long leaseId) => new()
    {
        Compare = { Ops.CreatedAt(keys.Lock(uploadId), 0) },
        Success =
        {
            Ops.Put(keys.Lock(uploadId), attempt, leaseId),
            Ops.Range(keys.Record(uploadId)),
            Ops.Delete(keys.HandOver(uploadId)),
        },
        Failure = { Ops.Range(keys.Lock(uploadId)) },
    };

    /// <summary>Changes nothing: reads the lock and the record together, after an attempt whose outcome is unknown.</summary>
    public static TxnRequest ReadBack(EtcdKeys keys, string uploadId) => new()
    {
        Success = { Ops.Range(keys.Lock(uploadId)), Ops.Range(keys.Record(uploadId)) },
    };

    /// <summary>
    /// Writes the record (its expiry index entries, and the puts of its events from <see cref="OutboxIndex.Puts"/>)
    /// while the lock is held; with <paramref name="release"/> the lock goes in the same transaction.
    /// </summary>
    public static TxnRequest Commit(EtcdKeys keys, long token, UploadRecord? before, UploadRecord record, IReadOnlyList<RequestOp> eventPuts, bool release)
    {
        var txn = Guarded(keys, record.Id, token);
        txn.Success.Add(Ops.Put(keys.Record(record.Id), RecordCodec.Encode(record)));
        txn.Success.Add(ExpiryIndex.Changes(keys, record.Id, before?.ExpiresAt, record.ExpiresAt));
        txn.Success.Add(eventPuts);
        if (release)
        {
            txn.Success.Add(ReleaseOps(keys, record.Id));
        }

        return txn;
    }

    public static TxnRequest Remove(EtcdKeys keys, string uploadId, long token, UploadRecord? before)
    {
        var txn = Guarded(keys, uploadId, token);
        txn.Success.Add(Ops.Delete(keys.Record(uploadId)));
        txn.Success.Add(ExpiryIndex.Changes(keys, uploadId, before?.ExpiresAt, null));
        return txn;
    }

    public static TxnRequest Release(EtcdKeys keys, string uploadId, long token)
    {
        var txn = Guarded(keys, uploadId, token);
        txn.Success.Add(ReleaseOps(keys, uploadId));
        return txn;
    }

    /// <summary>Removes the lock only if this very attempt wrote it.</summary>
    public static TxnRequest Abandon(EtcdKeys keys, string uploadId, ByteString attempt) => new()
    {
        Compare = { Ops.ValueIs(keys.Lock(uploadId), attempt) },
        Success = { ReleaseOps(keys, uploadId) },
    };

    private static TxnRequest Guarded(EtcdKeys keys, string uploadId, long token) => new()
    {
        Compare = { Ops.CreatedAt(keys.Lock(uploadId), token) },
    };

    private static RequestOp[] ReleaseOps(EtcdKeys keys, string uploadId) =>
        [Ops.Delete(keys.Lock(uploadId)), Ops.Delete(keys.HandOver(uploadId))];
}
