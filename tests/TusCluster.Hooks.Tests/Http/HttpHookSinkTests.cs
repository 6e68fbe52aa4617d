using System.Diagnostics;
using System.Text.Json;
using TusCluster.Hooks.Tests.Payload;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Tests.Http;

/// <summary>The HTTP sink against a real receiver process (receivers/http_receiver.py).</summary>
public sealed class HttpHookSinkTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_decision_makes_the_round_trip()
    {
        await using var receiver = await HookReceiver.StartAsync("""
            {"default": {"status": 200, "json": {
              "RejectUpload": true,
              "HTTPResponse": {"StatusCode": 403, "Body": "quota exceeded", "Header": {"X-Reason": "quota"}},
              "ChangeFileInfo": {"ID": "abc", "MetaData": {"k": "v"}}}}}
            """);
        using var sinks = HttpHookSinks.Create(HttpHookSinks.Fast(receiver.Url));

        var decision = await sinks.Sink.InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), Token);

        Assert.True(decision.RejectUpload);
        Assert.Equal((403, "quota exceeded", "quota"), (decision.HttpResponse?.StatusCode, decision.HttpResponse?.Body, decision.HttpResponse?.Header["X-Reason"]));
        Assert.Equal(("abc", "v"), (decision.ChangeId, decision.ChangeMetaData?["k"]));
        var received = Assert.Single(receiver.Requests());
        Assert.Equal(("POST", "/hooks"), (received.Method, received.Path));
        Assert.Equal(["application/json"], received.Header("Content-Type"));
        using var json = received.Json();
        Assert.Equal("pre-create", json.RootElement.GetProperty("Type").GetString());
        Assert.Equal(SampleEvents.EventId, json.RootElement.GetProperty("EventId").GetString());
        Assert.Equal(432724, json.RootElement.GetProperty("Event").GetProperty("Upload").GetProperty("Size").GetInt64());
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task Transient_statuses_are_retried_until_success(int status)
    {
        var busy = "{\"status\": " + status + ", \"text\": \"busy\"}";
        await using var receiver = await HookReceiver.StartAsync("{\"responses\": [" + busy + ", " + busy + "], \"default\": {\"status\": 200, \"json\": {\"RejectUpload\": true}}}");
        using var sinks = HttpHookSinks.Create(HttpHookSinks.Fast(receiver.Url));

        var decision = await sinks.Sink.InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), Token);

        Assert.True(decision.RejectUpload);
        var requests = receiver.Requests();
        Assert.Equal(3, requests.Count);
        Assert.Single(requests.Select(request => request.Body).Distinct());
        Assert.Equal(2, sinks.Logs.Entries.Count(entry => entry.Text.Contains("retrying", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Retries_end_after_the_configured_count()
    {
        await using var receiver = await HookReceiver.StartAsync("""{"default": {"status": 502, "text": "bad gateway"}}""");
        using var sinks = HttpHookSinks.Create(HttpHookSinks.Fast(receiver.Url));

        var exception = await Assert.ThrowsAsync<HookUnavailableException>(() => sinks.Sink.InvokeAsync(SampleEvents.Of(UploadEventType.PostFinish), Token).AsTask());

        Assert.Contains("status 502", exception.Message, StringComparison.Ordinal);
        Assert.Equal(4, receiver.Requests().Count);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(302)]
    public async Task Other_statuses_fail_at_once_without_a_retry(int status)
    {
        await using var receiver = await HookReceiver.StartAsync("{\"default\": {\"status\": " + status + ", \"text\": \"no\", \"headers\": {\"Location\": \"/elsewhere\"}}}");
        using var sinks = HttpHookSinks.Create(HttpHookSinks.Fast(receiver.Url));

        var exception = await Assert.ThrowsAsync<HookUnavailableException>(() => sinks.Sink.InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), Token).AsTask());

        Assert.Contains($"status {status}", exception.Message, StringComparison.Ordinal);
        Assert.Single(receiver.Requests());
    }

    [Fact]
    public async Task A_receiver_that_is_down_fails_within_the_configured_time()
    {
        await using var receiver = await HookReceiver.StartAsync();
        await receiver.KillAsync();
        using var sinks = HttpHookSinks.Create(HttpHookSinks.Fast(receiver.Url));
        var clock = Stopwatch.StartNew();

        var exception = await Assert.ThrowsAsync<HookUnavailableException>(() => sinks.Sink.InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), Token).AsTask());

        // Three retries at 20 ms doubling with jitter: well under a second, far under the 20 s total.
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.IsType<HttpRequestException>(exception.InnerException);
        Assert.Equal(3, sinks.Logs.Entries.Count(entry => entry.Text.Contains("retrying", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_slow_receiver_times_out_per_attempt()
    {
        await using var receiver = await HookReceiver.StartAsync("""{"default": {"status": 200, "json": {}, "sleep": 10}}""");
        using var sinks = HttpHookSinks.Create(new(HttpHookSinks.Fast(receiver.Url)) { ["Timeout"] = "00:00:00.300", ["Retries"] = "1" });
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<HookUnavailableException>(() => sinks.Sink.InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), Token).AsTask());

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(600), TimeSpan.FromSeconds(5));
        await Eventually.HoldsAsync(() => receiver.Requests().Count == 2, "the receiver saw both attempts");
    }

    [Fact]
    public async Task The_total_timeout_ends_the_retries()
    {
        await using var receiver = await HookReceiver.StartAsync("""{"default": {"status": 200, "json": {}, "sleep": 10}}""");
        using var sinks = HttpHookSinks.Create(new(HttpHookSinks.Fast(receiver.Url)) { ["Timeout"] = "00:00:00.500", ["Retries"] = "10", ["TotalTimeout"] = "00:00:01.200" });
        var clock = Stopwatch.StartNew();

        var exception = await Assert.ThrowsAsync<HookUnavailableException>(() => sinks.Sink.InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), Token).AsTask());

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.1), TimeSpan.FromSeconds(4));
        Assert.InRange(receiver.Requests().Count, 2, 3);
        Assert.Contains("no answer within 00:00:01.2", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_secret_and_forwarded_headers_are_sent_and_the_secret_is_never_logged()
    {
        await using var receiver = await HookReceiver.StartAsync("""{"responses": [{"status": 500}], "default": {"status": 200, "json": {}}}""");
        using var sinks = HttpHookSinks.Create(new(HttpHookSinks.Fast(receiver.Url))
        {
            ["SecretHeaderName"] = "X-Hook-Secret",
            ["Secret"] = "s3cret-value",
            ["ForwardHeaders:0"] = "Authorization",
        });

        await sinks.Sink.InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), Token);

        var requests = receiver.Requests();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, request => Assert.Equal(["s3cret-value"], request.Header("X-Hook-Secret")));
        Assert.All(requests, request => Assert.Equal(["Bearer abc"], request.Header("Authorization")));
        Assert.All(requests, request => Assert.Empty(request.Header("X-Trace")));
        Assert.NotEmpty(sinks.Logs.Entries);
        Assert.DoesNotContain(sinks.Logs.Entries, entry => entry.Text.Contains("s3cret", StringComparison.Ordinal) || entry.Text.Contains("Bearer abc", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_secret_no_secret_header_is_sent()
    {
        await using var receiver = await HookReceiver.StartAsync();
        using var sinks = HttpHookSinks.Create(HttpHookSinks.Fast(receiver.Url));

        await sinks.Sink.InvokeAsync(SampleEvents.Of(UploadEventType.PostFinish), Token);

        var request = Assert.Single(receiver.Requests());
        Assert.Empty(request.Header("X-Tus-Hook-Secret"));
        Assert.Empty(request.Header("Authorization"));
    }

    [Fact]
    public async Task An_answer_that_is_not_json_fails_a_blocking_hook_but_not_a_post_event()
    {
        await using var receiver = await HookReceiver.StartAsync("""{"default": {"status": 200, "text": "<html>oops</html>"}}""");
        using var sinks = HttpHookSinks.Create(HttpHookSinks.Fast(receiver.Url));

        await Assert.ThrowsAsync<HookUnavailableException>(() => sinks.Sink.InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), Token).AsTask());
        var decision = await sinks.Sink.InvokeAsync(SampleEvents.Of(UploadEventType.PostFinish), Token);

        Assert.Equal(HookDecision.Proceed, decision);
        Assert.Equal(2, receiver.Requests().Count);
    }

    [Fact]
    public async Task An_oversize_answer_fails_without_a_retry()
    {
        await using var receiver = await HookReceiver.StartAsync("{\"default\": {\"status\": 200, \"json\": {\"HTTPResponse\": {\"Body\": \"" + new string('x', 2000) + "\"}}}}");
        using var sinks = HttpHookSinks.Create(new(HttpHookSinks.Fast(receiver.Url)) { ["MaxResponseBytes"] = "1024" });

        var exception = await Assert.ThrowsAsync<HookUnavailableException>(() => sinks.Sink.InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), Token).AsTask());

        Assert.Contains("more than 1024 bytes", exception.Message, StringComparison.Ordinal);
        Assert.Single(receiver.Requests());
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_a_hook_failure()
    {
        await using var receiver = await HookReceiver.StartAsync("""{"default": {"status": 200, "json": {}, "sleep": 10}}""");
        using var sinks = HttpHookSinks.Create(HttpHookSinks.Fast(receiver.Url));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sinks.Sink.InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), cancel.Token).AsTask());
    }

    [Fact]
    public async Task The_receiver_can_require_the_forwarded_authorization()
    {
        await using var receiver = await HookReceiver.StartAsync("""
            {"requireHeader": {"name": "Authorization", "value": "Bearer good",
              "otherwise": {"status": 200, "json": {"RejectUpload": true, "HTTPResponse": {"StatusCode": 401}}}}}
            """);
        using var sinks = HttpHookSinks.Create(new(HttpHookSinks.Fast(receiver.Url)) { ["ForwardHeaders:0"] = "authorization" });
        var good = SampleEvents.Of(UploadEventType.PreCreate, request: new RequestSnapshot
        {
            Method = "POST", Uri = "/files/", RemoteAddr = "127.0.0.1:1", Header = new Dictionary<string, string[]> { ["Authorization"] = ["Bearer good"] },
        });

        var rejected = await sinks.Sink.InvokeAsync(SampleEvents.Of(UploadEventType.PreCreate), Token);
        var accepted = await sinks.Sink.InvokeAsync(good, Token);

        Assert.Equal((true, 401), (rejected.RejectUpload, rejected.HttpResponse?.StatusCode));
        Assert.Equal(HookDecision.Proceed, accepted);
        using var second = receiver.Requests()[1].Json();
        Assert.Equal(JsonValueKind.Object, second.RootElement.GetProperty("Event").ValueKind);
    }
}
