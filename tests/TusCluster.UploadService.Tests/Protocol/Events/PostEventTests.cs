using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Events;

namespace TusCluster.UploadService.Tests.Protocol.Events;

/// <summary>post-* events follow from what a commit changes, and go into the outbox with it.</summary>
// Commits events into the outbox: with-backend.sh dynamodb (dynalite, which has no TransactWriteItems) leaves
// these out; the DynamoDB outbox is proven on moto by its contract tests.
[Trait("Outbox", "Transactional")]
public sealed class PostEventTests : IAsyncDisposable
{
    private static readonly UploadEventType[] Post =
        [UploadEventType.PostCreate, UploadEventType.PostReceive, UploadEventType.PostFinish, UploadEventType.PostTerminate];

    private readonly RecordingHooks _hooks = new(Post);
    private TusServiceInstance? _service;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<TusServiceInstance> StartAsync() =>
        _service = await TusServiceInstance.StartAsync(configureServices: s => s.Replace(ServiceDescriptor.Singleton<IUploadHooks>(_hooks)));

    [Fact]
    public async Task An_upload_in_two_chunks_raises_create_receive_and_finish_with_its_state_each_time()
    {
        var service = await StartAsync();
        var upload = await Tus.CreateAsync(service.Client, service.FilesUrl, 10, "filename aGVsbG8udHh0,empty", ("Authorization", "Bearer token-1"), ("X-Other", "not forwarded"));
        (await Tus.PatchAsync(service.Client, upload, 0, new byte[4])).Dispose();
        (await Tus.PatchAsync(service.Client, upload, 4, new byte[6])).Dispose();

        var events = _hooks.Posted;
        Assert.Equal(
            [UploadEventType.PostCreate, UploadEventType.PostReceive, UploadEventType.PostReceive, UploadEventType.PostFinish],
            events.Select(e => e.Type));
        var id = upload.Segments[^1];
        Assert.All(events, e => Assert.Equal(id, e.Upload.Id));
        Assert.Equal([0L, 4, 10, 10], events.Select(e => e.Upload.Offset));
        Assert.Equal(events.Count, events.Select(e => e.Id).Distinct().Count());

        var created = events[0];
        Assert.Equal(10, created.Upload.Size);
        Assert.False(created.Upload.SizeIsDeferred);
        Assert.Equal(new Dictionary<string, string> { ["filename"] = "hello.txt", ["empty"] = string.Empty }, created.Upload.MetaData);
        Assert.Equal("POST", created.HttpRequest.Method);
        Assert.Equal("/files/", created.HttpRequest.Uri);
        Assert.StartsWith("127.0.0.1:", created.HttpRequest.RemoteAddr);
        Assert.Equal(["Bearer token-1"], created.HttpRequest.Header["Authorization"]);
        Assert.False(created.HttpRequest.Header.ContainsKey("X-Other"));
        Assert.Contains(created.Upload.Storage?["Type"], (string[])["filestore", "s3store", "gcsstore", "azurestore"]);
        Assert.Equal("PATCH", events[3].HttpRequest.Method);
        Assert.Equal($"/files/{id}", events[3].HttpRequest.Uri);
    }

    [Fact]
    public async Task Committed_events_stay_in_the_outbox_until_a_deliverer_deletes_them()
    {
        var service = await StartAsync();
        await Tus.UploadAsync(service.Client, service.FilesUrl, new byte[3], 3);

        var outbox = service.Services.GetRequiredService<IEventOutbox>();
        var stored = await outbox.ReadDueEventsAsync(DateTimeOffset.MaxValue, 100, Ct);
        Assert.Equal(_hooks.Committed.Select(e => e.Id).Order(), stored.Select(e => e.Id).Order());
        Assert.All(stored, e => Assert.True(e.DueAt > DateTimeOffset.UtcNow.AddSeconds(30), "due only after the redelivery delay"));
    }

    [Fact]
    public async Task Post_receive_is_throttled_per_upload_but_the_last_chunk_always_reports()
    {
        _hooks.PostReceiveInterval = TimeSpan.FromHours(1);
        var service = await StartAsync();
        var upload = await Tus.CreateAsync(service.Client, service.FilesUrl, 3);
        for (var i = 0; i < 3; i++)
        {
            (await Tus.PatchAsync(service.Client, upload, i, new byte[1])).Dispose();
        }

        var receives = _hooks.Posted.Where(e => e.Type == UploadEventType.PostReceive).Select(e => e.Upload.Offset);
        Assert.Equal([1L, 3], receives);
    }

    [Fact]
    public async Task Creation_with_the_whole_body_raises_all_three_in_one_commit()
    {
        var service = await StartAsync();
        var request = Tus.Request(HttpMethod.Post, service.FilesUrl, ("Upload-Length", "5"));
        request.Content = Tus.OctetStreamContent(new byte[5]);
        using var created = await service.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        Assert.Equal([UploadEventType.PostCreate, UploadEventType.PostReceive, UploadEventType.PostFinish], _hooks.Posted.Select(e => e.Type));
        Assert.All(_hooks.Posted, e => Assert.Equal(5, e.Upload.Offset));
    }

    [Fact]
    public async Task Termination_raises_post_terminate_once()
    {
        var service = await StartAsync();
        var upload = await Tus.CreateAsync(service.Client, service.FilesUrl, 10);
        using (var delete = await service.Client.SendAsync(Tus.Request(HttpMethod.Delete, upload), Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        using (var again = await service.Client.SendAsync(Tus.Request(HttpMethod.Delete, upload), Ct))
        {
            Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        }

        var terminated = Assert.Single(_hooks.Posted, e => e.Type == UploadEventType.PostTerminate);
        Assert.Equal("DELETE", terminated.HttpRequest.Method);
    }

    [Fact]
    public async Task Deferred_length_and_concatenation_are_reported_as_tusd_does()
    {
        var service = await StartAsync();
        var deferred = await Tus.CreateAsync(service.Client, service.FilesUrl, null);
        var partial = await Tus.CreateAsync(service.Client, service.FilesUrl, 2, null, ("Upload-Concat", "partial"));
        (await Tus.PatchAsync(service.Client, partial, 0, new byte[2])).Dispose();
        using var final = await service.Client.SendAsync(Tus.Request(HttpMethod.Post, service.FilesUrl, ("Upload-Concat", $"final;{partial.AbsolutePath}")), Ct);
        Assert.Equal(HttpStatusCode.Created, final.StatusCode);

        var events = _hooks.Posted;
        var deferredCreated = events.First(e => e.Upload.Id == deferred.Segments[^1]);
        Assert.True(deferredCreated.Upload.SizeIsDeferred);
        Assert.Null(deferredCreated.Upload.Size);
        Assert.True(events.First(e => e.Upload.Id == partial.Segments[^1]).Upload.IsPartial);
        var finished = events.Single(e => e.Upload.Id == final.Headers.Location!.Segments[^1] && e.Type == UploadEventType.PostFinish);
        Assert.True(finished.Upload.IsFinal);
        Assert.Equal([partial.Segments[^1]], finished.Upload.PartialUploads);
    }

    public async ValueTask DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }
}
