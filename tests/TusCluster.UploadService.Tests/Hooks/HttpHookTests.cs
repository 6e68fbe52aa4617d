using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TusCluster.Protocol.Coordination;

namespace TusCluster.UploadService.Tests.Hooks;

/// <summary>
/// The service with HTTP hooks against a real receiver process (tests/TusCluster.Hooks.Tests/receivers),
/// driven by tus-js-client. test.sh runs these on every coordination backend, so the outbox of each one
/// carries the post-* events.
/// </summary>
// Commits events into the outbox: with-backend.sh dynamodb (dynalite, which has no TransactWriteItems) leaves
// these out; the DynamoDB outbox is proven on moto by its contract tests.
[Trait("Outbox", "Transactional")]
public sealed class HttpHookTests : IAsyncDisposable
{
    private HookReceiver? _receiver;
    private TusServiceInstance? _service;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HookReceiver Receiver, TusServiceInstance Service)> StartAsync(string script)
    {
        _receiver = await HookReceiver.StartAsync(script);
        _service = await TusServiceInstance.StartAsync(
        [
            $"--Tus:Hooks:Http:Url={_receiver.Url}",
            "--Tus:Hooks:Http:Events:0=pre-create",
            "--Tus:Hooks:Http:Events:1=post-create",
            "--Tus:Hooks:Http:Events:2=post-finish",
            // tusd's -hooks-http-forward-headers: the receiver sees the client's header on the hook call itself.
            "--Tus:Hooks:Http:ForwardHeaders:0=Authorization",
            "--Tus:Hooks:Http:Retries=1",
            "--Tus:Hooks:Http:Backoff=00:00:00.2",
        ]);
        return (_receiver, _service);
    }

    [Fact]
    public async Task Pre_create_authorizes_tus_js_client_uploads_by_the_forwarded_header()
    {
        var (receiver, service) = await StartAsync("""
            {"requireHeader": {"name": "Authorization", "value": "Bearer let-me-in",
              "otherwise": {"json": {"RejectUpload": true, "HTTPResponse": {"StatusCode": 403, "Body": "{\"error\":\"no token\"}", "Header": {"Content-Type": "application/json"}}}}}}
            """);
        var metadata = new Dictionary<string, string> { ["filename"] = "report.pdf" };

        var refused = await TusJsClientSuite.UploadOnceAsync(service.FilesUrl, new Dictionary<string, string>(), metadata);
        Assert.False(refused.GetProperty("ok").GetBoolean(), refused.ToString());
        Assert.Equal(403, refused.GetProperty("status").GetInt32());
        Assert.Equal("""{"error":"no token"}""", refused.GetProperty("body").GetString());
        Assert.Empty(receiver.OfType("post-create"));

        var accepted = await TusJsClientSuite.UploadOnceAsync(service.FilesUrl, new Dictionary<string, string> { ["Authorization"] = "Bearer let-me-in" }, metadata);
        Assert.True(accepted.GetProperty("ok").GetBoolean(), accepted.ToString());
        var url = new Uri(accepted.GetProperty("url").GetString()!);
        var id = url.Segments[^1];
        var asked = receiver.OfType("pre-create");
        Assert.Equal(2, asked.Count);
        Assert.Equal("Bearer let-me-in", asked[1].Request().GetProperty("Header").GetProperty("Authorization")[0].GetString());
        Assert.Equal("report.pdf", asked[1].Upload().GetProperty("MetaData").GetProperty("filename").GetString());
        Assert.Equal(string.Empty, asked[1].UploadId());

        await Eventually.HoldsAsync(() => receiver.OfType("post-finish").Any(h => h.UploadId() == id), $"the post-finish of {id} to arrive");
        var finished = receiver.OfType("post-finish").Single(h => h.UploadId() == id);
        Assert.Equal(65536, finished.Upload().GetProperty("Size").GetInt64());
        Assert.Equal(65536, finished.Upload().GetProperty("Offset").GetInt64());
        Assert.Single(receiver.OfType("post-create"), h => h.UploadId() == id);
        Assert.Equal(
            accepted.GetProperty("sha256").GetString(),
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await service.Client.GetByteArrayAsync(url, Ct))));

        // Delivered events leave the coordination backend's outbox.
        var outbox = service.Services.GetRequiredService<IEventOutbox>();
        await Eventually.HoldsAsync(async () => (await outbox.ReadDueEventsAsync(DateTimeOffset.MaxValue, 10, Ct)).Count == 0, "the outbox to be empty");
    }

    [Fact]
    public async Task A_receiver_can_choose_the_id_and_metadata_of_the_upload()
    {
        var id = Guid.NewGuid().ToString("N");
        var (receiver, service) = await StartAsync("""
            {"byType": {"pre-create": {"json": {"ChangeFileInfo": {"ID": "CHOSEN", "MetaData": {"filename": "renamed.bin", "owner": "user-7"}}}}}}
            """.Replace("CHOSEN", id, StringComparison.Ordinal));

        var result = await TusJsClientSuite.UploadOnceAsync(service.FilesUrl, new Dictionary<string, string>(), new Dictionary<string, string> { ["filename"] = "original.bin" });

        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        var url = new Uri(result.GetProperty("url").GetString()!);
        Assert.Equal(id, url.Segments[^1]);
        using var head = await Tus.HeadAsync(service.Client, url);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("filename cmVuYW1lZC5iaW4=,owner dXNlci03", Tus.Header(head, "Upload-Metadata"));
        var outbox = service.Services.GetRequiredService<IEventOutbox>();
        await Eventually.HoldsAsync(
            () => receiver.OfType("post-finish").Any(h => h.UploadId() == id),
            "the post-finish under the chosen id",
            details: () => Received(receiver) + "\n" + Pending(outbox) + "\nrecord: " + Tus.Header(Tus.HeadAsync(service.Client, url).GetAwaiter().GetResult(), "Upload-Offset"));
        var metadata = receiver.OfType("post-finish").Single().Upload().GetProperty("MetaData");
        Assert.Equal("user-7", metadata.GetProperty("owner").GetString());
    }

    [Fact]
    public async Task A_receiver_that_is_down_gets_creations_a_503_with_retry_after_and_nothing_is_created()
    {
        var (receiver, service) = await StartAsync("{}");
        await receiver.KillAsync();

        using var response = await service.Client.SendAsync(Tus.Request(HttpMethod.Post, service.FilesUrl, ("Upload-Length", "10")), Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        var outbox = service.Services.GetRequiredService<IEventOutbox>();
        Assert.Empty(await outbox.ReadDueEventsAsync(DateTimeOffset.MaxValue, 10, Ct));
    }

    private static string Received(HookReceiver receiver) =>
        "received: " + string.Join(", ", receiver.Requests().Select(h => $"{h.Type()} {h.UploadId()}"));

    // What is still undelivered tells a lost event (nothing) from a failed or skipped immediate delivery (an entry).
    private static string Pending(IEventOutbox outbox) =>
        "undelivered: " + string.Join(", ", outbox.ReadDueEventsAsync(DateTimeOffset.MaxValue, 10, CancellationToken.None).AsTask().GetAwaiter().GetResult()
            .Select(e => $"{e.UploadId} attempts {e.Attempts} due {e.DueAt:HH:mm:ss.fff}"));

    public async ValueTask DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }
    }
}
