using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Embedded.Tests;

/// <summary>What only the embedded outbox has: entries in files that outlive the process.</summary>
public sealed class EmbeddedEventOutboxTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TemporaryDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static OutboxEntry Entry(string uploadId) => new() { Id = UploadId.New(), UploadId = uploadId, DueAt = Noon, Payload = "{}" };

    [Fact]
    public async Task Entries_survive_a_restart_and_those_of_a_commit_that_never_happened_are_dropped()
    {
        var (kept, phantom) = (UploadId.New(), UploadId.New());
        var keptEntry = Entry(kept);
        var first = CoordinationFixture.Create(_directory.Path);
        await using (var lease = await first.AcquireAsync(kept, TimeSpan.FromSeconds(5), Ct))
        {
            await lease.CommitAsync(new UploadRecord { Id = kept, Length = 10 }, [keptEntry], Ct);
        }

        // A crash between writing the entries and the record leaves entries whose fence is newer than the record's.
        await using (var lease = await first.AcquireAsync(kept, TimeSpan.FromSeconds(5), Ct))
        {
            var orphan = Entry(kept);
            File.WriteAllText(Path.Combine(_directory.Path, "outbox", $"{orphan.Id}.{lease.FencingToken}.event"), $$"""{"Id":"{{orphan.Id}}","UploadId":"{{kept}}","DueAt":"2025-06-01T12:00:00+00:00","Payload":"{}"}""");
        }

        var neverCommitted = Entry(phantom);
        File.WriteAllText(Path.Combine(_directory.Path, "outbox", $"{neverCommitted.Id}.5.event"), $$"""{"Id":"{{neverCommitted.Id}}","UploadId":"{{phantom}}","DueAt":"2025-06-01T12:00:00+00:00","Payload":"{}"}""");

        var restarted = CoordinationFixture.Create(_directory.Path);

        Assert.Equal([keptEntry], await restarted.ReadDueEventsAsync(DateTimeOffset.MaxValue, 10, Ct));
        Assert.Single(Directory.GetFiles(Path.Combine(_directory.Path, "outbox")));
    }

    [Fact]
    public async Task A_record_that_cannot_be_written_leaves_no_entry_behind()
    {
        var coordination = CoordinationFixture.Create(_directory.Path);
        var id = UploadId.New();
        await using var lease = await coordination.AcquireAsync(id, TimeSpan.FromSeconds(5), Ct);

        // The record's prefix directory is taken by a file, so the record write fails after the entries were written.
        File.WriteAllText(Path.Combine(_directory.Path, id[..2]), "in the way");

        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await lease.CommitAsync(new UploadRecord { Id = id }, [Entry(id)], Ct));
        Assert.Empty(await coordination.ReadDueEventsAsync(DateTimeOffset.MaxValue, 10, Ct));
        Assert.Empty(Directory.GetFiles(Path.Combine(_directory.Path, "outbox")));
    }

    public void Dispose() => _directory.Dispose();
}
