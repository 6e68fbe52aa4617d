using System.Text;
using TusCluster.Coordination.DynamoDb.Table;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.DynamoDb.Tests;

/// <summary>The outbox's own items and the limits of one transaction (on moto: dynalite has no transactions).</summary>
public sealed class DynamoDbOutboxTests(MotoServerFixture moto) : IClassFixture<MotoServerFixture>
{
    private static readonly DateTimeOffset Noon = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DynamoDbUploadCoordination Create() => Fixtures.Create(moto.Server, $"o-{Guid.NewGuid():N}");

    private static OutboxEntry Entry(string uploadId, DateTimeOffset dueAt, string payload = "{}") =>
        new() { Id = UploadId.New(), UploadId = uploadId, DueAt = dueAt, Payload = payload };

    [Fact]
    public async Task An_entry_is_an_item_of_its_own_in_the_time_index_under_an_outbox_shard()
    {
        await using var coordination = Create();
        var id = UploadId.New();
        var entry = Entry(id, Noon.AddTicks(1));
        await using (var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct))
        {
            await lease.CommitAsync(Fixtures.NewRecord(id, expiresAt: Noon), [entry], Ct);
        }

        var item = await RawItems.GetAsync(coordination, "out#" + entry.Id);
        Assert.Equal(OutboxItems.Shard(entry.Id), item["expShard"].S);
        Assert.StartsWith("out#", item["expShard"].S, StringComparison.Ordinal);
        Assert.Equal($"{Noon.ToUnixTimeMilliseconds() + 1:D16}#{entry.Id}", item["expKey"].S);
        Assert.Equal(id, item["upload"].S);
        Assert.Equal("0", item["attempts"].N);
        Assert.False((await RawItems.GetAsync(coordination, id)).ContainsKey("payload"));

        // One index, two kinds of entries that never show up in each other's reads.
        Assert.Equal([id], (await coordination.ReadExpiredAsync(DateTimeOffset.MaxValue, 10, Ct)).Select(e => e.UploadId));
        Assert.Equal([entry], await coordination.ReadDueEventsAsync(DateTimeOffset.MaxValue, 10, Ct));
    }

    [Fact]
    public async Task A_due_time_below_the_millisecond_is_not_reported_early_and_round_trips_exactly()
    {
        await using var coordination = Create();
        var id = UploadId.New();
        var entry = Entry(id, Noon.AddTicks(5_000).ToOffset(TimeSpan.FromHours(2)));
        await using (var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct))
        {
            await lease.CommitAsync(Fixtures.NewRecord(id), [entry], Ct);
        }

        Assert.Empty(await coordination.ReadDueEventsAsync(Noon.AddTicks(4_999), 10, Ct));
        var read = Assert.Single(await coordination.ReadDueEventsAsync(Noon.AddTicks(5_000), 10, Ct));
        Assert.Equal(entry.DueAt.Offset, read.DueAt.Offset);
        Assert.Equal(entry, read);
    }

    [Fact]
    public async Task A_commit_takes_as_many_events_of_the_largest_payload_as_the_kit_allows_and_refuses_more_or_repeated_ids()
    {
        await using var coordination = Create();
        var id = UploadId.New();
        var payload = "\"" + new string('x', OutboxEntry.MaxPayloadBytes - 2) + "\"";
        Assert.Equal(OutboxEntry.MaxPayloadBytes, Encoding.UTF8.GetByteCount(payload));
        var events = Enumerable.Range(0, OutboxEntry.MaxPerCommit).Select(i => Entry(id, Noon.AddSeconds(i), payload)).ToArray();
        await using var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);

        await Assert.ThrowsAsync<ArgumentException>(async () => await lease.CommitAsync(Fixtures.NewRecord(id, offset: 1), [.. events, Entry(id, Noon)], Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await lease.CommitAsync(Fixtures.NewRecord(id, offset: 1), [events[0], events[0] with { DueAt = Noon.AddHours(1) }], Ct));
        Assert.Null(await coordination.GetAsync(id, Ct));
        Assert.Empty(await coordination.ReadDueEventsAsync(DateTimeOffset.MaxValue, 100, Ct));

        await lease.CommitAsync(Fixtures.NewRecord(id, offset: 2), events, Ct);

        Assert.Equal(2, (await coordination.GetAsync(id, Ct))?.Offset);
        Assert.Equal(events, await coordination.ReadDueEventsAsync(DateTimeOffset.MaxValue, 100, Ct));
    }

    [Fact]
    public async Task A_postponement_counts_on_the_stored_attempts_not_the_callers_copy()
    {
        await using var coordination = Create();
        var id = UploadId.New();
        var entry = Entry(id, Noon);
        await using (var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct))
        {
            await lease.CommitAsync(Fixtures.NewRecord(id), [entry], Ct);
        }

        // Two deliverers that read the same entry both fail and postpone it with their stale copies.
        await coordination.PostponeEventAsync(entry, Noon.AddMinutes(1), Ct);
        await coordination.PostponeEventAsync(entry with { Attempts = 7 }, Noon.AddMinutes(2), Ct);

        Assert.Equal(entry with { Attempts = 2, DueAt = Noon.AddMinutes(2) }, Assert.Single(await coordination.ReadDueEventsAsync(DateTimeOffset.MaxValue, 10, Ct)));
        Assert.Empty(await coordination.ReadDueEventsAsync(Noon.AddMinutes(1), 10, Ct));
    }
}
