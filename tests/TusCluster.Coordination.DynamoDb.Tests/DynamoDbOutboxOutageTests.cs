using System.Diagnostics;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.DynamoDb.Tests;

/// <summary>A commit with events when DynamoDB hangs or is gone: 503 material, and the record and its events together or not at all.</summary>
public sealed class DynamoDbOutboxOutageTests
{
    private static readonly DateTimeOffset Noon = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static OutboxEntry Entry(string uploadId) => new() { Id = UploadId.New(), UploadId = uploadId, DueAt = Noon, Payload = "{}" };

    [Fact]
    public async Task A_commit_with_events_whose_answer_never_comes_is_unavailable_and_then_stored_whole_or_not_at_all()
    {
        await using var moto = await MotoServer.LaunchAsync();
        await using var coordination = Fixtures.Create(moto, "hang", o => o.RequestTimeout = TimeSpan.FromSeconds(1));
        var id = UploadId.New();
        var events = new[] { Entry(id), Entry(id) };
        await using var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        var first = await lease.CommitAsync(Fixtures.NewRecord(id, offset: 1), Ct);

        await moto.FreezeAsync();
        try
        {
            await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await lease.CommitAsync(first with { Offset = 9 }, events, Ct));
        }
        finally
        {
            await moto.ThawAsync();
        }

        // Once it runs again the server serves the transaction it had received, or it never got it: either
        // way the record and its events come together.
        UploadRecord? record;
        IReadOnlyList<OutboxEntry> stored;
        var waited = Stopwatch.StartNew();
        do
        {
            record = await coordination.GetAsync(id, Ct);
            stored = await coordination.ReadDueEventsAsync(DateTimeOffset.MaxValue, 10, Ct);
            if (record?.Offset == 9)
            {
                break;
            }

            await Task.Delay(100, Ct);
        }
        while (waited.Elapsed < TimeSpan.FromSeconds(5));

        TestContext.Current.TestOutputHelper?.WriteLine(record?.Offset == 9 ? "The transaction was served after the thaw." : "The transaction never arrived.");
        if (record?.Offset == 9)
        {
            Assert.Equal(events.OrderBy(e => e.Id, StringComparer.Ordinal), stored);
        }
        else
        {
            Assert.Equal(1, record?.Offset);
            Assert.Empty(stored);
        }
    }

    [Fact]
    public async Task Every_outbox_call_is_unavailable_while_DynamoDB_is_gone_and_a_commit_stores_nothing()
    {
        await using var moto = await MotoServer.LaunchAsync();
        await using var coordination = Fixtures.Create(moto, "gone", o => o.RequestTimeout = TimeSpan.FromSeconds(1));
        var id = UploadId.New();
        var entry = Entry(id);
        await using var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        await lease.CommitAsync(Fixtures.NewRecord(id, offset: 1), [entry], Ct);

        await moto.KillAsync();

        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await lease.CommitAsync(Fixtures.NewRecord(id, offset: 2), [Entry(id)], Ct));
        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.ReadDueEventsAsync(DateTimeOffset.MaxValue, 10, Ct));
        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.PostponeEventAsync(entry, Noon.AddMinutes(1), Ct));
        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.DeleteEventAsync(entry, Ct));
    }
}
