using System.Text;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Contract;

/// <summary>
/// The event outbox: entries are stored in the same atomic step as the record they belong to, are
/// read once due (earliest first, at a cost that grows with what is due), and are deleted or postponed
/// by whoever delivers them. What every coordination backend must do alike.
/// </summary>
public abstract class OutboxContract : CoordinationContract
{
    private static readonly DateTimeOffset Noon = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    internal static IEventOutbox Outbox(IUploadCoordination replica) =>
        replica as IEventOutbox ?? throw new InvalidOperationException($"{replica.GetType().Name} does not implement IEventOutbox.");

    internal static OutboxEntry Entry(string uploadId, DateTimeOffset dueAt, string? payload = null) => new()
    {
        Id = UploadId.New(),
        UploadId = uploadId,
        DueAt = dueAt,
        Payload = payload ?? $$"""{"Type":"post-finish","Upload":"{{uploadId}}"}""",
    };

    private static async Task<IReadOnlyList<OutboxEntry>> AllAsync(IUploadCoordination replica) =>
        await Outbox(replica).ReadDueEventsAsync(DateTimeOffset.MaxValue, 1000, Ct);

    [Fact]
    public async Task A_commit_stores_its_events_with_the_record_and_another_replica_reads_them_once_due()
    {
        var (a, b) = (Replica(), Replica());
        var id = UploadId.New();
        var events = new[] { Entry(id, Noon.AddMinutes(1)), Entry(id, Noon.AddMinutes(2)) };

        await using (var lease = await a.AcquireAsync(id, Generous, Ct))
        {
            await lease.CommitAsync(NewRecord(id, offset: 5), events, Ct);
        }

        AssertSameRecord(NewRecord(id, offset: 5), (await b.GetAsync(id, Ct)) is { } r ? r with { Fence = 0 } : null);
        Assert.Empty(await Outbox(b).ReadDueEventsAsync(Noon, 10, Ct));
        Assert.Equal([events[0]], await Outbox(b).ReadDueEventsAsync(Noon.AddMinutes(1), 10, Ct));
        Assert.Equal(events, await Outbox(b).ReadDueEventsAsync(Noon.AddHours(1), 10, Ct));
    }

    [Fact]
    public async Task Commit_and_release_stores_events_too()
    {
        var coordination = Replica();
        var id = UploadId.New();
        var entry = Entry(id, Noon);
        var lease = await coordination.AcquireAsync(id, Generous, Ct);

        await lease.CommitAndReleaseAsync(NewRecord(id, offset: 1), [entry], Ct);

        Assert.Equal([entry], await AllAsync(coordination));
        await using var next = await coordination.AcquireAsync(id, TimeSpan.Zero, Ct);
        Assert.Equal(1, next.Record?.Offset);
    }

    [Fact]
    public async Task A_commit_refused_for_a_newer_holder_stores_no_event()
    {
        var coordination = Replica();
        var id = UploadId.New();
        var stale = await coordination.AcquireAsync(id, Generous, Ct);
        var committed = await stale.CommitAsync(NewRecord(id, offset: 3), Ct);
        await stale.DisposeAsync();
        await using var holder = await coordination.AcquireAsync(id, Generous, Ct);

        await Assert.ThrowsAsync<LeaseLostException>(async () => await stale.CommitAsync(committed with { Offset = 9 }, [Entry(id, Noon)], Ct));
        await Assert.ThrowsAsync<LeaseLostException>(async () => await stale.CommitAndReleaseAsync(committed with { Offset = 9 }, [Entry(id, Noon)], Ct));

        Assert.Empty(await AllAsync(coordination));
        Assert.Equal(3, (await coordination.GetAsync(id, Ct))?.Offset);
    }

    [Fact]
    public async Task Due_entries_come_earliest_first_across_uploads_and_the_limit_holds()
    {
        var coordination = Replica();
        var entries = new List<OutboxEntry>();
        for (var i = 9; i >= 0; i--)
        {
            var id = UploadId.New();
            var entry = Entry(id, Noon.AddSeconds(i));
            entries.Add(entry);
            await using var lease = await coordination.AcquireAsync(id, Generous, Ct);
            await lease.CommitAsync(NewRecord(id), [entry], Ct);
        }

        var ordered = entries.OrderBy(e => e.DueAt).ToArray();
        Assert.Equal(ordered.Take(4), await Outbox(coordination).ReadDueEventsAsync(Noon.AddHours(1), 4, Ct));
        Assert.Equal(ordered.Take(6), await Outbox(coordination).ReadDueEventsAsync(Noon.AddSeconds(5), 100, Ct));
        Assert.Empty(await Outbox(coordination).ReadDueEventsAsync(Noon.AddHours(1), 0, Ct));
    }

    [Fact]
    public async Task Deleting_removes_one_entry_and_is_idempotent()
    {
        var coordination = Replica();
        var id = UploadId.New();
        var (kept, delivered) = (Entry(id, Noon), Entry(id, Noon.AddSeconds(1)));
        await using (var lease = await coordination.AcquireAsync(id, Generous, Ct))
        {
            await lease.CommitAsync(NewRecord(id), [kept, delivered], Ct);
        }

        await Outbox(coordination).DeleteEventAsync(delivered, Ct);
        await Outbox(coordination).DeleteEventAsync(delivered, Ct);

        Assert.Equal([kept], await AllAsync(coordination));
        Assert.Equal(0, (await coordination.GetAsync(id, Ct))?.Offset);
    }

    [Fact]
    public async Task Postponing_moves_the_entry_counts_the_attempt_and_never_revives_a_deleted_one()
    {
        var (a, b) = (Replica(), Replica());
        var id = UploadId.New();
        var (retried, delivered) = (Entry(id, Noon), Entry(id, Noon));
        await using (var lease = await a.AcquireAsync(id, Generous, Ct))
        {
            await lease.CommitAsync(NewRecord(id), [retried, delivered], Ct);
        }

        await Outbox(a).PostponeEventAsync(retried, Noon.AddMinutes(5), Ct);
        await Outbox(a).DeleteEventAsync(delivered, Ct);
        await Outbox(b).PostponeEventAsync(delivered, Noon.AddMinutes(5), Ct);

        Assert.Empty(await Outbox(b).ReadDueEventsAsync(Noon.AddMinutes(4), 10, Ct));
        var moved = Assert.Single(await AllAsync(b));
        Assert.Equal(retried with { DueAt = Noon.AddMinutes(5), Attempts = 1 }, moved);

        await Outbox(b).PostponeEventAsync(moved, Noon.AddMinutes(1), Ct);
        Assert.Equal(retried with { DueAt = Noon.AddMinutes(1), Attempts = 2 }, Assert.Single(await AllAsync(a)));
    }

    [Fact]
    public async Task Entries_outlive_the_record_they_belong_to()
    {
        var coordination = Replica();
        var id = UploadId.New();
        var entry = Entry(id, Noon);
        await using (var lease = await coordination.AcquireAsync(id, Generous, Ct))
        {
            await lease.CommitAsync(NewRecord(id), [entry], Ct);
            await lease.RemoveAsync(Ct);
        }

        Assert.Null(await coordination.GetAsync(id, Ct));
        Assert.Equal([entry], await AllAsync(coordination));
    }

    [Fact]
    public async Task A_payload_of_the_largest_size_round_trips_byte_for_byte()
    {
        var coordination = Replica();
        var id = UploadId.New();
        var text = new StringBuilder("{\"v\":\"");
        var units = "é😀\\\"\n\u0001ab";
        while (Encoding.UTF8.GetByteCount(text.ToString()) < OutboxEntry.MaxPayloadBytes - 64)
        {
            text.Append(units);
        }

        var entry = Entry(id, Noon, text.Append("\"}").ToString());
        Assert.True(Encoding.UTF8.GetByteCount(entry.Payload) <= OutboxEntry.MaxPayloadBytes);
        await using (var lease = await coordination.AcquireAsync(id, Generous, Ct))
        {
            await lease.CommitAsync(NewRecord(id), [entry], Ct);
        }

        Assert.Equal(entry.Payload, Assert.Single(await AllAsync(coordination)).Payload);
    }

    [Fact]
    public async Task Malformed_entries_are_refused_before_anything_is_written()
    {
        var coordination = Replica();
        var id = UploadId.New();
        await using var lease = await coordination.AcquireAsync(id, Generous, Ct);

        await Assert.ThrowsAsync<ArgumentException>(async () => await lease.CommitAsync(NewRecord(id), [Entry(id, Noon) with { Id = "../x" }], Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await lease.CommitAsync(NewRecord(id), [Entry(id, Noon) with { UploadId = UploadId.New() }], Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await lease.CommitAsync(NewRecord(id), [Entry(id, Noon, new string('x', OutboxEntry.MaxPayloadBytes + 1))], Ct));

        Assert.Null(await coordination.GetAsync(id, Ct));
        Assert.Empty(await AllAsync(coordination));
    }
}
