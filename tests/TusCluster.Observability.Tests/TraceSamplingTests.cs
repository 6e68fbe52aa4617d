using TusCluster.Observability.Tests.ErrorReporting;
using TusCluster.Observability.Tests.Infrastructure;

namespace TusCluster.Observability.Tests;

/// <summary>
/// <c>Tus:Telemetry:TraceSampleRatio</c> against the service's real OTLP exporter and an in-process receiver:
/// a trace the service starts itself follows the ratio; a request whose caller sampled its trace is recorded
/// whatever the ratio, so a caller's trace is never cut in two. Alone in the process: activity listeners are
/// process-wide, and another test's provider (ratio 1) would sample this test's requests.
/// </summary>
[Collection(AloneInTheProcess.Name)]
public sealed class TraceSamplingTests
{
    private const string SampledTraceId = "0af7651916cd43dd8448eb211c80319c";

    [Fact]
    public async Task With_ratio_zero_only_requests_whose_caller_sampled_the_trace_are_recorded()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var data = new TemporaryDirectory();
        var port = FreePort.Next();
        var app = receiver.BuildUploadService(data, port, "--Tus:Telemetry:TraceSampleRatio=0");
        string uploadId;
        await using (app)
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
            // Raw connections only: an HttpClient in this process is traced by every tracer provider the
            // tests run (ratio 1 elsewhere), and would arrive with a caller's sampled trace.
            var upload = await CreateAsync(new Uri($"http://127.0.0.1:{port}/files/"));
            uploadId = upload.Segments[^1];
            await PatchAsync(upload, offset: 0, traceparent: null);
            await PatchAsync(upload, offset: 4, traceparent: $"00-{SampledTraceId}-b7ad6b7169203331-01");

            // Disposing the tracer provider flushes the exporter.
            await app.StopAsync(TestContext.Current.CancellationToken);
        }

        var ofUpload = receiver.Spans.Where(s => s.Attributes.GetValueOrDefault("tus.upload.id") == uploadId).ToList();
        Assert.NotEmpty(ofUpload);
        Assert.All(ofUpload, s => Assert.Equal(SampledTraceId, s.TraceId));
        Assert.Contains(ofUpload, s => s.Name == "store.stage");
    }

    [Fact]
    public async Task A_budget_of_one_trace_a_second_records_one_of_a_quick_series_but_every_request_whose_caller_sampled()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var data = new TemporaryDirectory();
        var port = FreePort.Next();
        var app = receiver.BuildUploadService(data, port, "--Tus:Telemetry:MaxTracesPerSecond=1");
        string uploadId;
        TimeSpan elapsed;
        await using (app)
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var upload = await CreateAsync(new Uri($"http://127.0.0.1:{port}/files/"));
            uploadId = upload.Segments[^1];
            for (var offset = 0; offset < 24; offset += 4)
            {
                await PatchAsync(upload, offset, traceparent: null);
            }

            elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            await PatchAsync(upload, offset: 24, traceparent: $"00-{SampledTraceId}-b7ad6b7169203331-01");
            await app.StopAsync(TestContext.Current.CancellationToken);
        }

        var traces = receiver.Spans.Where(s => s.Attributes.GetValueOrDefault("tus.upload.id") == uploadId).Select(s => s.TraceId).ToHashSet();
        Assert.Contains(SampledTraceId, traces);

        // Seven requests started their own traces: the saved-up second's one, plus one for each full second
        // the series took (a slow machine refills the budget, a fast one records just the first).
        var ownTraces = traces.Count - 1;
        Assert.InRange(ownTraces, 1, 1 + (int)elapsed.TotalSeconds);
    }

    private static async Task<Uri> CreateAsync(Uri endpoint)
    {
        await using var connection = await RawHttpConnection.OpenAsync(endpoint);
        await connection.SendHeadAsync("POST", endpoint, "Tus-Resumable: 1.0.0", "Upload-Length: 32", "Content-Length: 0");
        var response = await connection.ReadResponseHeadAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(201, response.Status);
        return new Uri(endpoint, response.Headers["Location"]);
    }

    private static async Task PatchAsync(Uri upload, int offset, string? traceparent)
    {
        await using var connection = await RawHttpConnection.OpenAsync(upload);
        string[] headers =
        [
            "Tus-Resumable: 1.0.0", $"Upload-Offset: {offset}", "Content-Type: application/offset+octet-stream", "Content-Length: 4",
            .. traceparent is null ? Array.Empty<string>() : [$"traceparent: {traceparent}"],
        ];
        await connection.SendHeadAsync("PATCH", upload, headers);
        await connection.SendAsync(new byte[] { 1, 2, 3, 4 });
        var response = await connection.ReadResponseHeadAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(204, response.Status);
    }
}
