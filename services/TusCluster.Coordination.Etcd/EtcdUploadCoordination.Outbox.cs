using Etcdserverpb;
using Mvccpb;
using TusCluster.Coordination.Etcd.Keys;
using TusCluster.Coordination.Outbox;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Etcd;

/// <summary>
/// The event outbox (<see cref="OutboxIndex"/>); entries are added only by a lease's commit. An entry that cannot be
/// read is set aside (<see cref="EtcdKeys.UnreadableOutbox"/>) and the read goes on to the next page for the others.
/// </summary>
internal sealed partial class EtcdUploadCoordination : IEventOutbox
{
    public async ValueTask<IReadOnlyList<OutboxEntry>> ReadDueEventsAsync(DateTimeOffset upTo, int limit, CancellationToken cancellationToken)
    {
        var due = new List<OutboxEntry>();
        var from = _keys.OutboxPrefix;
        while (due.Count < limit)
        {
            var page = await _etcd.RangeAsync(OutboxIndex.DueRequest(_keys, from, upTo, limit - due.Count), cancellationToken);
            foreach (var kv in page.Kvs)
            {
                if (OutboxIndex.TryParse(kv, out var problem) is { } entry)
                {
                    due.Add(entry);
                }
                else
                {
                    await SetAsideAsync(kv, problem, cancellationToken);
                }
            }

            if (!page.More || page.Kvs.Count == 0)
            {
                break;
            }

            from = OutboxIndex.After(page.Kvs[^1].Key);
        }

        return due;
    }

    /// <summary>Moves an unreadable entry out of the outbox; one changed since it was read is looked at again by the next read.</summary>
    private async Task SetAsideAsync(KeyValue kv, string? problem, CancellationToken cancellationToken)
    {
        var response = await _etcd.TxnAsync(OutboxIndex.SetAside(_keys, kv), cancellationToken);
        if (response.Succeeded)
        {
            UnreadableOutboxEntries.SetAside(_logger, "etcd", kv.Key.ToStringUtf8(), _keys.UnreadableOutbox(kv.Key).ToStringUtf8(), problem);
        }
    }

    public async ValueTask PostponeEventAsync(OutboxEntry entry, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        OutboxEntries.Validate(entry);
        var read = await _etcd.RangeAsync(new RangeRequest { Key = _keys.Outbox(entry.Id, entry.DueAt) }, cancellationToken);
        if (read.Kvs.Count == 0)
        {
            // Delivered (deleted) or moved by another deliverer: never revived.
            return;
        }

        var stored = OutboxIndex.Parse(read.Kvs[0]);
        var moved = stored with { DueAt = dueAt, Attempts = stored.Attempts + 1 };

        // Refused when another deliverer deleted or moved the entry meanwhile: its change stands.
        await _etcd.TxnAsync(OutboxIndex.Move(_keys, read.Kvs[0], moved), cancellationToken);
    }

    public async ValueTask DeleteEventAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        OutboxEntries.Validate(entry);
        await _etcd.TxnAsync(new TxnRequest { Success = { Ops.Delete(_keys.Outbox(entry.Id, entry.DueAt)) } }, cancellationToken);
    }

    /// <summary>The puts of a commit's events, checked before anything is sent.</summary>
    internal IReadOnlyList<RequestOp> EventPuts(IReadOnlyList<OutboxEntry> events) =>
        events.Count == 0 ? [] : OutboxIndex.Puts(_keys, events);
}
