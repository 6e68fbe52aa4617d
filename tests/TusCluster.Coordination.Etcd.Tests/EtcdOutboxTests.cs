using Etcdserverpb;
using Google.Protobuf;
using TusCluster.Coordination.Etcd.Keys;
using TusCluster.Coordination.Outbox;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Etcd.Tests;

/// <summary>What is particular to etcd: the key layout, the size of one transaction and of one answer.</summary>
public sealed class EtcdOutboxTests(SharedEtcd etcd) : IAsyncDisposable
{
    private static readonly DateTimeOffset Noon = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _prefix = Coordinations.NewPrefix();
    private readonly List<EtcdUploadCoordination> _replicas = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_entry_is_one_key_named_by_its_due_time_and_a_postponement_moves_it()
    {
        var replica = Replica();
        var id = UploadId.New();
        var entry = Entry(id, Noon.AddTicks(1));
        await CommitAsync(replica, id, [entry]);

        var key = Assert.Single(await KeysAsync(replica, "outbox/"));
        Assert.Equal($"{_prefix}outbox/{EtcdKeys.Pad(Noon.ToUnixTimeMilliseconds() + 1)}/{entry.Id}", key.Key.ToStringUtf8());
        Assert.Equal(entry, OutboxEntryJson.Deserialize(key.Value.Span, "test"));

        await replica.PostponeEventAsync(entry, Noon.AddMinutes(1), Ct);

        key = Assert.Single(await KeysAsync(replica, "outbox/"));
        Assert.Equal($"{_prefix}outbox/{EtcdKeys.Pad(Noon.AddMinutes(1).ToUnixTimeMilliseconds())}/{entry.Id}", key.Key.ToStringUtf8());
        Assert.Equal(1, OutboxEntryJson.Deserialize(key.Value.Span, "test").Attempts);
    }

    [Fact]
    public async Task A_postponement_based_on_a_stale_copy_does_nothing()
    {
        var replica = Replica();
        var id = UploadId.New();
        var entry = Entry(id, Noon);
        await CommitAsync(replica, id, [entry]);

        // Two deliverers read the entry; the first postpones it, the second then postpones its old copy.
        await replica.PostponeEventAsync(entry, Noon.AddMinutes(1), Ct);
        await replica.PostponeEventAsync(entry, Noon.AddMinutes(2), Ct);

        Assert.Equal(entry with { DueAt = Noon.AddMinutes(1), Attempts = 1 }, Assert.Single(await replica.ReadDueEventsAsync(DateTimeOffset.MaxValue, 10, Ct)));
    }

    [Fact]
    public async Task A_commit_takes_as_many_events_as_the_bound_and_refuses_one_more_writing_nothing()
    {
        var replica = Replica();
        var (refused, taken) = (UploadId.New(), UploadId.New());

        await using (var lease = await replica.AcquireAsync(refused, Coordinations.Generous, Ct))
        {
            var tooMany = Enumerable.Range(0, OutboxEntry.MaxPerCommit + 1).Select(_ => Entry(refused, Noon)).ToArray();
            var e = await Assert.ThrowsAsync<ArgumentException>(async () => await lease.CommitAsync(Coordinations.NewRecord(refused), tooMany, Ct));
            Assert.Contains($"at most {OutboxEntry.MaxPerCommit} events", e.Message, StringComparison.Ordinal);
        }

        var most = Enumerable.Range(0, OutboxEntry.MaxPerCommit).Select(_ => Entry(taken, Noon)).ToArray();
        var releasing = await replica.AcquireAsync(taken, Coordinations.Generous, Ct);
        await releasing.CommitAndReleaseAsync(Coordinations.NewRecord(taken), most, Ct);

        Assert.Null(await replica.GetAsync(refused, Ct));
        Assert.Equal(most.OrderBy(e => e.Id, StringComparer.Ordinal), await replica.ReadDueEventsAsync(Noon, 100, Ct));
    }

    [Fact]
    public async Task A_commit_whose_events_would_overflow_an_etcd_request_is_refused_and_one_just_under_is_stored()
    {
        var replica = Replica();
        var id = UploadId.New();
        await using var lease = await replica.AcquireAsync(id, Coordinations.Generous, Ct);

        // Each takes about 384 KiB as JSON: two fit the bound of 1 MiB, three do not.
        var e = await Assert.ThrowsAsync<ArgumentException>(async () => await lease.CommitAsync(Coordinations.NewRecord(id), [.. Enumerable.Range(0, 3).Select(_ => Widest(id, Noon))], Ct));
        Assert.Contains($"at most {OutboxIndex.MaxEventBytesPerCommit} bytes", e.Message, StringComparison.Ordinal);
        Assert.Null(await replica.GetAsync(id, Ct));

        // Just under the bound, with the record: etcd takes it in one request.
        OutboxEntry[] fitting = [Widest(id, Noon), Widest(id, Noon), Entry(id, Noon) with { Payload = new string('\u0001', 43_000) }];
        Assert.InRange(fitting.Sum(f => OutboxEntryJson.Serialize(f).Length), OutboxIndex.MaxEventBytesPerCommit - 8 * 1024, OutboxIndex.MaxEventBytesPerCommit);
        await lease.CommitAsync(Coordinations.NewRecord(id, offset: 1), fitting, Ct);
        Assert.Equal(3, (await replica.ReadDueEventsAsync(Noon, 10, Ct)).Count);
        Assert.Equal(1, (await replica.GetAsync(id, Ct))?.Offset);
    }

    [Fact]
    public async Task More_due_entries_of_the_largest_size_than_one_answer_holds_are_read_in_pages_earliest_first()
    {
        var replica = Replica();
        var entries = new List<OutboxEntry>();
        for (var i = 0; i < 20; i++)
        {
            var id = UploadId.New();
            OutboxEntry[] pair = [Widest(id, Noon.AddSeconds(40 - 2 * i)), Widest(id, Noon.AddSeconds(41 - 2 * i))];
            entries.AddRange(pair);
            await CommitAsync(replica, id, pair);
        }

        // 40 entries of about 384 KiB: 15 MiB, far more than gRPC's default answer of 4 MiB.
        var ordered = entries.OrderBy(e => e.DueAt).ToArray();
        Assert.Equal(ordered, await replica.ReadDueEventsAsync(DateTimeOffset.MaxValue, 100, Ct));
        Assert.Equal(ordered.Take(OutboxIndex.ReadPageSize + 3), await replica.ReadDueEventsAsync(DateTimeOffset.MaxValue, OutboxIndex.ReadPageSize + 3, Ct));
        Assert.Equal(ordered.Take(11), await replica.ReadDueEventsAsync(ordered[10].DueAt, 100, Ct));
    }

    private EtcdUploadCoordination Replica()
    {
        var replica = Coordinations.Create(_prefix, [etcd.Endpoint]);
        _replicas.Add(replica);
        return replica;
    }

    private static async Task CommitAsync(EtcdUploadCoordination replica, string id, OutboxEntry[] events)
    {
        await using var lease = await replica.AcquireAsync(id, Coordinations.Generous, Ct);
        await lease.CommitAsync(Coordinations.NewRecord(id), events, Ct);
    }

    private async Task<IReadOnlyList<Mvccpb.KeyValue>> KeysAsync(EtcdUploadCoordination replica, string kind)
    {
        var prefix = ByteString.CopyFromUtf8(_prefix + kind);
        var response = await replica.Client.RangeAsync(new RangeRequest { Key = prefix, RangeEnd = EtcdKeys.RangeEndOf(prefix) }, Ct);
        return response.Kvs;
    }

    internal static OutboxEntry Entry(string uploadId, DateTimeOffset dueAt) =>
        new() { Id = UploadId.New(), UploadId = uploadId, DueAt = dueAt, Payload = "{}" };

    /// <summary>A payload of the largest size whose every byte JSON escapes to six.</summary>
    private static OutboxEntry Widest(string uploadId, DateTimeOffset dueAt) =>
        Entry(uploadId, dueAt) with { Payload = new string('\u0001', OutboxEntry.MaxPayloadBytes) };
}
