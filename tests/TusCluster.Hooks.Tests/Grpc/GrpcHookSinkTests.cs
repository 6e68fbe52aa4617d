using System.Diagnostics;
using System.Text.Json;
using TusCluster.Hooks.Grpc;
using TusCluster.Hooks.Tests.Payload;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Tests.Grpc;

/// <summary>The gRPC sink against a real Python grpcio server whose stubs are generated from the service's hook.proto.</summary>
public sealed class GrpcHookSinkTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tusds_messages_make_the_round_trip_with_event_id_and_replica_as_metadata()
    {
        await using var receiver = await HookReceiver.StartGrpcAsync("""
            {"default": {"response": {
              "rejectUpload": true,
              "httpResponse": {"statusCode": 403, "body": "quota exceeded", "header": {"X-Reason": "quota"}},
              "changeFileInfo": {"id": "abc", "metaData": {"k": "v"}}}}}
            """);
        using var host = Create(receiver);
        var uploadEvent = SampleEvents.Of(UploadEventType.PreCreate, request: new RequestSnapshot
        {
            Method = "POST",
            Uri = "/files/",
            RemoteAddr = "127.0.0.1:1",
            Header = new Dictionary<string, string[]> { ["authorization"] = ["Bearer abc"], ["X-Trace"] = ["a", "b"] },
        });

        var decision = await host.Sink.InvokeAsync(uploadEvent, Token);

        Assert.True(decision.RejectUpload);
        Assert.False(decision.RejectTermination);
        Assert.Equal((403, "quota exceeded", "quota"), (decision.HttpResponse?.StatusCode, decision.HttpResponse?.Body, decision.HttpResponse?.Header["X-Reason"]));
        Assert.Equal(("abc", "v"), (decision.ChangeId, decision.ChangeMetaData?["k"]));

        var received = Assert.Single(receiver.Requests());
        Assert.Equal("/proto.HookHandler/InvokeHook", received.Method);
        Assert.Equal([SampleEvents.EventId], received.Header(GrpcHookSink.EventIdHeader));
        Assert.Equal(["tus-0"], received.Header(GrpcHookSink.ReplicaHeader));
        Assert.Equal(["Bearer abc"], received.Header("authorization"));
        using var json = received.Json();
        var root = json.RootElement;
        Assert.Equal("pre-create", root.GetProperty("type").GetString());
        var upload = root.GetProperty("event").GetProperty("upload");
        Assert.Equal("432724", upload.GetProperty("size").GetString());
        Assert.Equal("a.png", upload.GetProperty("metaData").GetProperty("filename").GetString());
        Assert.Equal(JsonValueKind.Array, upload.GetProperty("partialUploads").ValueKind);
        var request = root.GetProperty("event").GetProperty("httpRequest");
        Assert.Equal(("POST", "/files/", "127.0.0.1:1"), (request.GetProperty("method").GetString(), request.GetProperty("uri").GetString(), request.GetProperty("remoteAddr").GetString()));
        Assert.Equal("Bearer abc", request.GetProperty("header").GetProperty("Authorization").GetString());
        Assert.Equal("a", request.GetProperty("header").GetProperty("X-Trace").GetString());
    }

    [Fact]
    public async Task A_final_upload_and_a_deferred_size_map_as_tusd_maps_them()
    {
        await using var receiver = await HookReceiver.StartGrpcAsync();
        using var host = Create(receiver);
        var uploadEvent = SampleEvents.Of(UploadEventType.PostFinish, new UploadSnapshot
        {
            Id = "f",
            SizeIsDeferred = true,
            Offset = 9,
            IsFinal = true,
            PartialUploads = ["b", "a"],
            Storage = new Dictionary<string, string> { ["Type"] = "filestore" },
        });

        var decision = await host.Sink.InvokeAsync(uploadEvent, Token);

        Assert.Equal(HookDecision.Proceed, decision);
        using var json = Assert.Single(receiver.Requests()).Json();
        var upload = json.RootElement.GetProperty("event").GetProperty("upload");
        Assert.Equal(("f", "0", true, "9", true), (upload.GetProperty("id").GetString(), upload.GetProperty("size").GetString(), upload.GetProperty("sizeIsDeferred").GetBoolean(), upload.GetProperty("offset").GetString(), upload.GetProperty("isFinal").GetBoolean()));
        Assert.Equal(["b", "a"], upload.GetProperty("partialUploads").EnumerateArray().Select(id => id.GetString()));
        Assert.Equal("filestore", upload.GetProperty("storage").GetProperty("Type").GetString());
    }

    [Theory]
    [InlineData("UNAVAILABLE")]
    [InlineData("RESOURCE_EXHAUSTED")]
    public async Task Transient_codes_are_retried_until_success(string code)
    {
        await using var receiver = await HookReceiver.StartGrpcAsync("{\"responses\": [{\"code\": \"" + code + "\"}, {\"code\": \"" + code + "\"}], \"default\": {\"response\": {\"rejectUpload\": true}}}");
        using var host = Create(receiver);

        var decision = await host.Sink.InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), Token);

        Assert.True(decision.RejectUpload);
        Assert.Equal(3, receiver.Requests().Count);
    }

    [Fact]
    public async Task Other_codes_fail_at_once()
    {
        await using var receiver = await HookReceiver.StartGrpcAsync("""{"default": {"code": "PERMISSION_DENIED", "details": "go away"}}""");
        using var host = Create(receiver);

        var exception = await Assert.ThrowsAsync<HookUnavailableException>(() => host.Sink.InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), Token).AsTask());

        Assert.Contains("PermissionDenied go away", exception.Message, StringComparison.Ordinal);
        Assert.Single(receiver.Requests());
    }

    [Fact]
    public async Task A_slow_server_exceeds_the_deadline_on_every_attempt()
    {
        await using var receiver = await HookReceiver.StartGrpcAsync("""{"default": {"sleep": 5, "response": {}}}""");
        using var host = Create(receiver, new() { ["Timeout"] = "00:00:00.300", ["Retries"] = "1" });
        var clock = Stopwatch.StartNew();

        var exception = await Assert.ThrowsAsync<HookUnavailableException>(() => host.Sink.InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), Token).AsTask());

        Assert.Contains("DeadlineExceeded", exception.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(550), TimeSpan.FromSeconds(4));
        await Eventually.HoldsAsync(() => receiver.Requests().Count == 2, "the server saw both attempts");
    }

    [Fact]
    public async Task A_server_that_is_down_fails_within_the_configured_time()
    {
        await using var receiver = await HookReceiver.StartGrpcAsync();
        await receiver.KillAsync();
        using var host = Create(receiver);
        var clock = Stopwatch.StartNew();

        var exception = await Assert.ThrowsAsync<HookUnavailableException>(() => host.Sink.InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), Token).AsTask());

        Assert.Contains("Unavailable", exception.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.Equal(3, host.Logs.Entries.Count(entry => entry.Text.Contains("retrying", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_total_timeout_ends_the_retries()
    {
        await using var receiver = await HookReceiver.StartGrpcAsync("""{"default": {"sleep": 5, "response": {}}}""");
        using var host = Create(receiver, new() { ["Timeout"] = "00:00:00.500", ["Retries"] = "10", ["TotalTimeout"] = "00:00:01.200" });
        var clock = Stopwatch.StartNew();

        var exception = await Assert.ThrowsAsync<HookUnavailableException>(() => host.Sink.InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), Token).AsTask());

        Assert.Contains("no answer within 00:00:01.2", exception.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.1), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task An_oversize_answer_fails_without_a_retry()
    {
        await using var receiver = await HookReceiver.StartGrpcAsync("{\"default\": {\"response\": {\"httpResponse\": {\"body\": \"" + new string('x', 4000) + "\"}}}}");
        using var host = Create(receiver, new() { ["MaxResponseBytes"] = "1024" });

        var exception = await Assert.ThrowsAsync<HookUnavailableException>(() => host.Sink.InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), Token).AsTask());

        Assert.Contains("ResourceExhausted", exception.Message, StringComparison.Ordinal);
        Assert.Single(receiver.Requests());
    }

    [Fact]
    public async Task An_empty_metadata_map_keeps_the_clients_metadata_as_with_tusd()
    {
        await using var receiver = await HookReceiver.StartGrpcAsync("""{"default": {"response": {"changeFileInfo": {"metaData": {}}}}}""");
        using var host = Create(receiver);

        var decision = await host.Sink.InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), Token);

        Assert.Equal(HookDecision.Proceed, decision);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_a_hook_failure()
    {
        await using var receiver = await HookReceiver.StartGrpcAsync("""{"default": {"sleep": 5, "response": {}}}""");
        using var host = Create(receiver);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.Sink.InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), cancel.Token).AsTask());
    }

    private static SinkHost Create(HookReceiver receiver, Dictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Address"] = receiver.GrpcAddress.ToString(),
            ["Events:0"] = "pre-create",
            ["Events:1"] = "post-finish",
            ["Retries"] = "3",
            ["Backoff"] = "00:00:00.020",
            ["Timeout"] = "00:00:05",
            ["TotalTimeout"] = "00:00:20",
            ["ForwardHeaders:0"] = "Authorization",
        };
        foreach (var (key, value) in overrides ?? [])
        {
            settings[key] = value;
        }

        return new SinkHost(GrpcHooksServiceCollectionExtensions.AddGrpcHooks, GrpcHookOptions.SectionName, settings);
    }
}
