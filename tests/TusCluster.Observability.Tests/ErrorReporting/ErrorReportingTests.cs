using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Sentry;
using TusCluster.UploadService.Hosting;

namespace TusCluster.Observability.Tests.ErrorReporting;

/// <summary>
/// The real Sentry SDK in the real upload service, posting to <see cref="SentryIngest"/>: a local listener
/// standing in for Sentry's ingest endpoint, because no Sentry server can run here. The SDK is flushed when
/// the host stops, so what arrived by then is all that will.
/// </summary>
[Collection(AloneInTheProcess.Name)]
public sealed class ErrorReportingTests
{
    private const string Secret = "Bearer secret-token-9f2c";
    private const string CookieSecret = "session=cookie-secret-51ab";
    private const string QuerySecret = "query-secret-77de";

    [Fact]
    public async Task A_500_is_one_event_tagged_with_upload_replica_and_trace_and_without_secrets_or_bytes_while_503_is_not_reported()
    {
        await using var ingest = await SentryIngest.StartAsync();
        using var data = new TemporaryDirectory();
        var store = new BrokenStagingStore();
        var port = FreePort.Next();
        var app = Build(data, port, store, $"--Tus:Sentry:Dsn={ingest.Dsn}", "--Tus:Sentry:Environment=errortest");
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var body = Encoding.ASCII.GetBytes("UPLOAD-BYTES-" + Guid.NewGuid().ToString("N"));
        string buggy;
        await using (app)
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
            Assert.NotNull(app.Services.GetService<IHub>());
            using var client = new HttpClient();
            var files = new Uri($"http://127.0.0.1:{port}/files/");
            var healthy = await Tus.CreateAsync(client, files, body.Length);
            var broken = await Tus.CreateAsync(client, files, body.Length);
            var unavailable = await Tus.CreateAsync(client, files, body.Length);
            buggy = broken.Segments[^1];
            store.Buggy = buggy;
            store.Unavailable = unavailable.Segments[^1];

            using (var fine = await Tus.PatchAsync(client, healthy, 0, body))
            {
                Assert.Equal(HttpStatusCode.NoContent, fine.StatusCode);
            }

            using (var down = await Tus.PatchAsync(client, unavailable, 0, body))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            }

            using (var failed = await Tus.PatchAsync(
                client,
                new Uri(broken + "?token=" + QuerySecret),
                0,
                body,
                ("Authorization", Secret),
                ("Cookie", CookieSecret),
                ("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01")))
            {
                Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
            }

            await app.StopAsync(TestContext.Current.CancellationToken);
        }

        var items = ingest.Items.ToList();
        var all = string.Join("\n", items.Select(i => i.Type + ": " + i.Text));
        TestContext.Current.TestOutputHelper?.WriteLine(all);
        var report = Assert.Single(ingest.Events);
        var tags = Tags(report);
        Assert.Equal(buggy, tags.GetValueOrDefault("upload_id"));
        Assert.Equal("replica-under-test", tags.GetValueOrDefault("replica"));
        Assert.Equal(traceId, tags.GetValueOrDefault("trace_id"));
        Assert.Equal("errortest", report.GetProperty("environment").GetString());
        Assert.Contains(BrokenStagingStore.BugMessage, report.GetRawText(), StringComparison.Ordinal);

        foreach (var secret in new[] { "secret-token-9f2c", "cookie-secret-51ab", QuerySecret, Encoding.ASCII.GetString(body), Convert.ToBase64String(body) })
        {
            Assert.DoesNotContain(secret, all, StringComparison.Ordinal);
        }

        var headers = report.GetProperty("request").GetProperty("headers");
        Assert.False(headers.TryGetProperty("Authorization", out _), "Authorization must not be sent, even redacted");
        Assert.False(headers.TryGetProperty("Cookie", out _), "Cookie must not be sent");
        Assert.Equal("1.0.0", headers.GetProperty("Tus-Resumable").GetString());
    }

    [Fact]
    public async Task A_500_answer_without_an_exception_is_one_event_with_the_trace_and_replica()
    {
        await using var ingest = await SentryIngest.StartAsync();
        using var data = new TemporaryDirectory();
        var port = FreePort.Next();
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var app = UploadServiceHost.Build(
            [.. Arguments(data, port), $"--Tus:Sentry:Dsn={ingest.Dsn}"],
            services => services.AddTransient<IStartupFilter>(_ => new AnswerAtTheEnd("/answers-500", StatusCodes.Status500InternalServerError)));
        await using (app)
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
            using var client = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{port}/answers-500?token={QuerySecret}"));
            request.Headers.TryAddWithoutValidation("Authorization", Secret);
            request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            await app.StopAsync(TestContext.Current.CancellationToken);
        }

        var all = string.Join("\n", ingest.Items.Select(i => i.Type + ": " + i.Text));
        TestContext.Current.TestOutputHelper?.WriteLine(all);
        var report = Assert.Single(ingest.Events);
        var tags = Tags(report);
        Assert.Equal("replica-under-test", tags.GetValueOrDefault("replica"));
        Assert.Equal(traceId, tags.GetValueOrDefault("trace_id"));
        Assert.False(tags.ContainsKey("upload_id"), "no upload is involved");
        Assert.Equal("GET answered 500 without an exception", report.GetProperty("logentry").GetProperty("formatted").GetString());
        Assert.DoesNotContain("secret-token-9f2c", all, StringComparison.Ordinal);
        Assert.DoesNotContain(QuerySecret, all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_Tus_Sentry_Dsn_nothing_is_sent_even_with_SENTRY_DSN_and_a_Sentry_section_set()
    {
        await using var ingest = await SentryIngest.StartAsync();
        using var data = new TemporaryDirectory();
        var store = new BrokenStagingStore();
        var port = FreePort.Next();

        // Only this test touches SENTRY_DSN, and its collection runs alone.
        var sdkRegistered = false;
        var before = Environment.GetEnvironmentVariable("SENTRY_DSN");
        Environment.SetEnvironmentVariable("SENTRY_DSN", ingest.Dsn);
        try
        {
            await using var app = Build(data, port, store, $"--Sentry:Dsn={ingest.Dsn}");
            await app.StartAsync(TestContext.Current.CancellationToken);
            sdkRegistered = app.Services.GetService<IHub>() is not null;
            using var client = new HttpClient();
            var broken = await Tus.CreateAsync(client, new Uri($"http://127.0.0.1:{port}/files/"), 4);
            store.Buggy = broken.Segments[^1];

            using var failed = await Tus.PatchAsync(client, broken, 0, [1, 2, 3, 4], ("Authorization", Secret));

            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
            await app.StopAsync(TestContext.Current.CancellationToken);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SENTRY_DSN", before);
        }

        Assert.Empty(ingest.Requests);
        Assert.False(sdkRegistered, "the Sentry SDK must not even be registered");
    }

    [Fact]
    public void Bad_Sentry_settings_are_reported_together_at_start_without_echoing_the_DSN()
    {
        using var data = new TemporaryDirectory();
        var error = Record.Exception(() => Build(
            data,
            FreePort.Next(),
            new BrokenStagingStore(),
            "--Tus:Sentry:Dsn=https://o0.ingest.example/secretish",
            "--Tus:Sentry:SampleRate=0",
            "--Tus:Sentry:TracesSampleRate=1.5",
            "--Tus:Sentry:Environment=a/b"));

        // One failing options class throws its own exception; several, an AggregateException of them.
        Assert.NotNull(error);
        var failures = (error is AggregateException many ? many.InnerExceptions : [error])
            .OfType<OptionsValidationException>()
            .SelectMany(e => e.Failures)
            .ToList();
        Assert.Contains(failures, f => f.StartsWith("Tus:Sentry:Dsn must be", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Tus:Sentry:SampleRate must be", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Tus:Sentry:TracesSampleRate must be", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Tus:Sentry:Environment must be", StringComparison.Ordinal));
        Assert.DoesNotContain(failures, f => f.Contains("secretish", StringComparison.Ordinal));
    }

    private static WebApplication Build(TemporaryDirectory data, int port, BrokenStagingStore store, params string[] arguments) =>
        UploadServiceHost.Build([.. Arguments(data, port), .. arguments], store.WrapRegisteredStore);

    private static string[] Arguments(TemporaryDirectory data, int port) =>
    [
        $"--urls=http://127.0.0.1:{port}",
        $"--Tus:Storage:FileSystem:Root={data.Path}/uploads",
        $"--Tus:Coordination:Embedded:Directory={data.Path}/meta",
        "--Tus:Sweeper:Enabled=false",
        "--Tus:Telemetry:ReplicaName=replica-under-test",
    ];

    private static Dictionary<string, string?> Tags(JsonElement report)
    {
        var tags = report.GetProperty("tags");
        return tags.ValueKind == JsonValueKind.Object
            ? tags.EnumerateObject().ToDictionary(t => t.Name, t => t.Value.GetString())
            : tags.EnumerateArray().ToDictionary(t => t[0].GetString()!, t => t[1].GetString());
    }
}
