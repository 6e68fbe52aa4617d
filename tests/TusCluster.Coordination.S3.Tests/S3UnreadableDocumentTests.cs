using TusCluster.Coordination.Contract;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.S3.Tests;

/// <summary>
/// A document that is not one at all (not JSON, a record that is none) makes its upload 503, but not the outbox:
/// the events of others are read, a copy is kept under outbox-unreadable/ and the upload's markers go.
/// </summary>
[Collection(UnreadableOutboxCollection.Name)]
public sealed class S3UnreadableDocumentTests(CephServer server) : IAsyncDisposable
{
    private static readonly DateTimeOffset Noon = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly S3UploadCoordination _coordination = Fixtures.Create(server.Ceph, $"u-{Guid.NewGuid():N}/");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"fence":1,"record":{"Id":7},"events":[]}""")]
    public async Task The_outbox_reads_past_an_unreadable_document_and_keeps_a_copy_of_it(string broken)
    {
        var id = UploadId.New();
        var readable = new OutboxEntry { Id = UploadId.New(), UploadId = id, DueAt = Noon, Payload = "{}" };
        await using (var lease = await _coordination.AcquireAsync(id, TimeSpan.FromSeconds(30), Ct))
        {
            await lease.CommitAsync(TestRecords.New(id, 0, null), [readable], Ct);
        }

        var (brokenId, eventId) = (UploadId.New(), UploadId.New());
        await _coordination.Objects.PutTextAsync(_coordination.Keys.Upload(brokenId), broken, Ct);
        await _coordination.Objects.PutMarkerAsync(_coordination.Keys.OutboxMarker(brokenId, eventId), Ct);

        Assert.Equal([readable], await _coordination.ReadDueEventsAsync(Noon.AddHours(1), 10, Ct));
        Assert.Equal(broken, await ReadTextAsync(_coordination.Keys.UnreadableOutbox(brokenId, broken)));
        Assert.Null(await ReadTextAsync(_coordination.Keys.OutboxMarker(brokenId, eventId)));
        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await _coordination.GetAsync(brokenId, Ct));
        Assert.Equal([readable], await _coordination.ReadDueEventsAsync(Noon.AddHours(1), 10, Ct));
    }

    public async ValueTask DisposeAsync() => await _coordination.DisposeAsync();

    private Task<string?> ReadTextAsync(string key) => RawObjects.ReadTextAsync(_coordination, key);
}
