using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Events;

namespace TusCluster.UploadService.Tests.Protocol.Events;

/// <summary>pre-* events decide whether a request goes ahead; a refusal or an undecided hook changes nothing.</summary>
// Commits events into the outbox: with-backend.sh dynamodb (dynalite, which has no TransactWriteItems) leaves
// these out; the DynamoDB outbox is proven on moto by its contract tests.
[Trait("Outbox", "Transactional")]
public sealed class BlockingEventTests : IAsyncDisposable
{
    private readonly RecordingHooks _hooks = new(
        UploadEventType.PreCreate, UploadEventType.PreFinish, UploadEventType.PreTerminate, UploadEventType.PostCreate, UploadEventType.PostFinish);

    private TusServiceInstance? _service;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<TusServiceInstance> StartAsync() =>
        _service = await TusServiceInstance.StartAsync(configureServices: s => s.Replace(ServiceDescriptor.Singleton<IUploadHooks>(_hooks)));

    private static HookDecision Refuse(int status, string body) => new()
    {
        RejectUpload = true,
        RejectTermination = true,
        HttpResponse = new HookHttpResponse
        {
            StatusCode = status,
            Body = body,
            Header = new Dictionary<string, string> { ["Content-Type"] = "application/json", ["X-Hook-Reason"] = "policy" },
        },
    };

    private async Task AssertNothingStoredAsync(TusServiceInstance service)
    {
        var uploads = Path.Combine(service.DataDirectory, "uploads");
        Assert.True(!Directory.Exists(uploads) || !Directory.EnumerateFileSystemEntries(uploads).Any(), "no upload directory");
        var records = Path.Combine(service.DataDirectory, "meta");
        Assert.True(!Directory.Exists(records) || !Directory.EnumerateFiles(records, "*.json", SearchOption.AllDirectories).Any(), "no upload record");
        Assert.Empty(await service.Services.GetRequiredService<IEventOutbox>().ReadDueEventsAsync(DateTimeOffset.MaxValue, 10, Ct));
    }

    [Fact]
    public async Task A_refused_creation_gets_the_receivers_status_body_and_headers_and_creates_nothing()
    {
        _hooks.Decide = e => e.HttpRequest.Header.ContainsKey("Authorization") ? HookDecision.Proceed : Refuse(403, """{"message":"who are you?"}""");
        var service = await StartAsync();

        using var refused = await service.Client.SendAsync(Tus.Request(HttpMethod.Post, service.FilesUrl, ("Upload-Length", "10"), ("Upload-Metadata", "filename YS50eHQ=")), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("""{"message":"who are you?"}""", await refused.Content.ReadAsStringAsync(Ct));
        Assert.Equal("application/json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("policy", Tus.Header(refused, "X-Hook-Reason"));
        await AssertNothingStoredAsync(service);

        var asked = Assert.Single(_hooks.Blocking);
        Assert.Equal(UploadEventType.PreCreate, asked.Type);
        Assert.Equal(string.Empty, asked.Upload.Id);
        Assert.Null(asked.Upload.Storage);
        Assert.Equal("a.txt", asked.Upload.MetaData["filename"]);

        var upload = await Tus.CreateAsync(service.Client, service.FilesUrl, 10, null, ("Authorization", "Bearer ok"));
        Assert.Equal(["Bearer ok"], _hooks.Blocking.Last().HttpRequest.Header["Authorization"]);
        Assert.Equal(0, await Tus.OffsetAsync(service.Client, upload));
    }

    [Fact]
    public async Task A_refusal_without_a_status_is_400_as_in_tusd()
    {
        _hooks.Decide = _ => new HookDecision { RejectUpload = true };
        var service = await StartAsync();

        using var refused = await service.Client.SendAsync(Tus.Request(HttpMethod.Post, service.FilesUrl, ("Upload-Length", "10")), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        await AssertNothingStoredAsync(service);
    }

    [Fact]
    public async Task Pre_create_can_choose_the_id_and_the_metadata()
    {
        const string chosen = "0123456789abcdef0123456789abcdef";
        _hooks.Decide = _ => new HookDecision { ChangeId = chosen, ChangeMetaData = new Dictionary<string, string> { ["owner"] = "alice", ["filename"] = "ü.txt" } };
        var service = await StartAsync();

        var upload = await Tus.CreateAsync(service.Client, service.FilesUrl, 4, "filename b3JpZ2luYWw=");
        using var head = await Tus.HeadAsync(service.Client, upload);

        Assert.Equal(chosen, upload.Segments[^1]);
        Assert.Equal("filename w7wudHh0,owner YWxpY2U=", Tus.Header(head, "Upload-Metadata"));
        Assert.Equal(chosen, Assert.Single(_hooks.Posted).Upload.Id);

        using var taken = await service.Client.SendAsync(Tus.Request(HttpMethod.Post, service.FilesUrl, ("Upload-Length", "4")), Ct);
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal(0, await Tus.OffsetAsync(service.Client, upload));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("00000000000000000000000000000000")]
    public async Task An_id_that_is_not_an_upload_id_is_the_receivers_fault_and_creates_nothing(string id)
    {
        _hooks.Decide = _ => new HookDecision { ChangeId = id };
        var service = await StartAsync();

        using var response = await service.Client.SendAsync(Tus.Request(HttpMethod.Post, service.FilesUrl, ("Upload-Length", "10")), Ct);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        await AssertNothingStoredAsync(service);
    }

    [Fact]
    public async Task A_receiver_that_cannot_decide_gets_the_client_503_with_retry_after_and_creates_nothing()
    {
        _hooks.Decide = _ => throw new HookUnavailableException("receiver down");
        var service = await StartAsync();

        using var response = await service.Client.SendAsync(Tus.Request(HttpMethod.Post, service.FilesUrl, ("Upload-Length", "10")), Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        await AssertNothingStoredAsync(service);
    }

    [Fact]
    public async Task A_refused_finish_commits_nothing_and_a_later_attempt_finishes_once()
    {
        var service = await StartAsync();
        var upload = await Tus.CreateAsync(service.Client, service.FilesUrl, 6);
        (await Tus.PatchAsync(service.Client, upload, 0, new byte[2])).Dispose();
        _hooks.Decide = e => e.Type == UploadEventType.PreFinish ? new HookDecision { HttpResponse = new HookHttpResponse { StatusCode = 422, Body = "not yet" } } : HookDecision.Proceed;

        using (var refused = await Tus.PatchAsync(service.Client, upload, 2, new byte[4]))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Equal("not yet", await refused.Content.ReadAsStringAsync(Ct));
        }

        Assert.Equal(2, await Tus.OffsetAsync(service.Client, upload));
        // The refused chunk was staged and then thrown away (the file store's own files; S3 has none here).
        var directory = Path.Combine(service.DataDirectory, "uploads", upload.Segments[^1]);
        Assert.True(!Directory.Exists(directory) || !Directory.EnumerateFiles(directory, "*.chunk").Any(), "no staged chunk left");

        _hooks.Decide = _ => throw new HookUnavailableException("receiver down");
        using (var undecided = await Tus.PatchAsync(service.Client, upload, 2, new byte[4]))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, undecided.StatusCode);
        }

        Assert.Equal(2, await Tus.OffsetAsync(service.Client, upload));

        _hooks.Decide = _ => new HookDecision { HttpResponse = new HookHttpResponse { Body = "thanks", Header = new Dictionary<string, string> { ["X-Processing-Id"] = "42" } } };
        using (var finished = await Tus.PatchAsync(service.Client, upload, 2, new byte[4]))
        {
            Assert.Equal(HttpStatusCode.NoContent, finished.StatusCode);
            Assert.Equal("42", Tus.Header(finished, "X-Processing-Id"));
        }

        Assert.Equal(6, await Tus.OffsetAsync(service.Client, upload));
        Assert.Single(_hooks.Posted, e => e.Type == UploadEventType.PostFinish);
        Assert.Equal(3, _hooks.Blocking.Count(e => e.Type == UploadEventType.PreFinish));
        Assert.All(_hooks.Blocking.Where(e => e.Type == UploadEventType.PreFinish), e => Assert.Equal(6, e.Upload.Offset));
    }

    [Fact]
    public async Task A_refused_termination_keeps_the_upload()
    {
        var service = await StartAsync();
        var upload = await Tus.CreateAsync(service.Client, service.FilesUrl, 6);
        _hooks.Decide = e => e.Type == UploadEventType.PreTerminate ? Refuse(403, "keep it") : HookDecision.Proceed;

        using (var refused = await service.Client.SendAsync(Tus.Request(HttpMethod.Delete, upload), Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("keep it", await refused.Content.ReadAsStringAsync(Ct));
        }

        Assert.Equal(0, await Tus.OffsetAsync(service.Client, upload));
        Assert.Equal(upload.Segments[^1], _hooks.Blocking.Last().Upload.Id);

        _hooks.Decide = _ => HookDecision.Proceed;
        using var deleted = await service.Client.SendAsync(Tus.Request(HttpMethod.Delete, upload), Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }
}
