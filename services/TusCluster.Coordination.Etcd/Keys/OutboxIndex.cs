using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;
using TusCluster.Coordination.Outbox;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Etcd.Keys;

/// <summary>
/// The outbox: one key per undelivered entry, named by its due time like the expiry index, holding the
/// entry as JSON, so a range read returns the due entries earliest first with their values.
/// </summary>
internal static class OutboxIndex
{
    /// <summary>
    /// Stored bytes of a commit's events together: etcd refuses a request over <c>--max-request-bytes</c>
    /// (1.5 MiB by default), and the record and keys need the rest. A payload of the largest size can take
    /// up to six times its bytes as JSON (every control character escaped), so a few such events fit.
    /// </summary>
    public const int MaxEventBytesPerCommit = 1024 * 1024;

    /// <summary>
    /// Entries per range read. The largest stored entry is about 390 KB, so a page of them stays below the
    /// channel's receive limit (<see cref="Grpc.EtcdConnection.MaxReceiveMessageBytes"/>).
    /// </summary>
    public const int ReadPageSize = 32;

    /// <summary>The puts of a commit's events, to go into its transaction.</summary>
    /// <exception cref="ArgumentException">More events, or more bytes of them, than one transaction may carry.</exception>
    public static RequestOp[] Puts(EtcdKeys keys, IReadOnlyList<OutboxEntry> events)
    {
        // The count is the kit's (OutboxEntry.MaxPerCommit, checked by OutboxEntries.Validate): with the
        // commit's own five operations it stays far below etcd's --max-txn-ops (128 by default).
        var puts = new RequestOp[events.Count];
        var bytes = 0;
        for (var i = 0; i < events.Count; i++)
        {
            var value = ByteString.CopyFrom(OutboxEntryJson.Serialize(events[i]));
            bytes += value.Length;
            if (bytes > MaxEventBytesPerCommit)
            {
                throw new ArgumentException($"The events of one commit can take at most {MaxEventBytesPerCommit} bytes as JSON on etcd.", nameof(events));
            }

            puts[i] = Ops.Put(keys.Outbox(events[i].Id, events[i].DueAt), value);
        }

        return puts;
    }

    /// <summary>A page of the due entries from <paramref name="from"/> on (inclusive).</summary>
    public static RangeRequest DueRequest(EtcdKeys keys, ByteString from, DateTimeOffset upTo, int limit) =>
        new() { Key = from, RangeEnd = keys.OutboxEnd(upTo), Limit = Math.Min(limit, ReadPageSize) };

    public static OutboxEntry Parse(KeyValue kv) => OutboxEntryJson.Deserialize(kv.Value.Span, $"etcd key {kv.Key.ToStringUtf8()}");

    /// <summary>The entry a key holds, or null with the problem when its value is not a valid entry.</summary>
    public static OutboxEntry? TryParse(KeyValue kv, out string? problem) => OutboxEntryJson.TryRead(kv.Value.Span, out problem);

    /// <summary>Moves an unreadable entry, value unchanged, out of the outbox only if nobody changed or removed it since it was read.</summary>
    public static TxnRequest SetAside(EtcdKeys keys, KeyValue stored) => new()
    {
        Compare = { Ops.ModifiedAt(stored.Key, stored.ModRevision) },
        Success = { Ops.Delete(stored.Key), Ops.Put(keys.UnreadableOutbox(stored.Key), stored.Value) },
    };

    /// <summary>Moves a stored entry to its new key only if nobody changed or removed it since it was read.</summary>
    public static TxnRequest Move(EtcdKeys keys, KeyValue stored, OutboxEntry moved)
    {
        var newKey = keys.Outbox(moved.Id, moved.DueAt);
        var txn = new TxnRequest { Compare = { Ops.ModifiedAt(stored.Key, stored.ModRevision) } };
        if (stored.Key != newKey)
        {
            txn.Success.Add(Ops.Delete(stored.Key));
        }

        txn.Success.Add(Ops.Put(newKey, ByteString.CopyFrom(OutboxEntryJson.Serialize(moved))));
        return txn;
    }

    /// <summary>The first key after <paramref name="key"/>: where the next page starts.</summary>
    public static ByteString After(ByteString key) => ByteString.CopyFrom([.. key.Span, 0]);
}
