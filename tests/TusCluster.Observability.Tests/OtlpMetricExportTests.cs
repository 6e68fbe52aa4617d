using TusCluster.Observability.Tests.Infrastructure;

namespace TusCluster.Observability.Tests;

/// <summary>
/// <c>Tus:Telemetry:ExportMetrics</c> against the service's real OTLP exporter. Unset, metrics take one path:
/// the Prometheus scrape when it is served (every reader aggregates every measurement again), OTLP when it is
/// not; true and false override that. Spans go to the collector in every case.
/// </summary>
public sealed class OtlpMetricExportTests
{
    [Theory]
    [InlineData(null, true, false)]
    [InlineData(null, false, true)]
    [InlineData(true, true, true)]
    [InlineData(false, false, false)]
    public async Task Metrics_go_over_otlp_when_asked_or_when_nothing_scrapes_them_and_spans_go_either_way(bool? exportMetrics, bool scraped, bool expectMetrics)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var data = new TemporaryDirectory();
        var port = FreePort.Next();
        string[] arguments = exportMetrics is { } export
            ? [$"--Tus:Metrics:Enabled={scraped}", $"--Tus:Telemetry:ExportMetrics={export}"]
            : [$"--Tus:Metrics:Enabled={scraped}"];
        var app = receiver.BuildUploadService(data, port, arguments);
        await using (app)
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
            using var client = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/files/");
            request.Headers.Add("Tus-Resumable", "1.0.0");
            request.Headers.Add("Upload-Length", "10");
            using var created = await client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);

            using var scrape = await client.GetAsync($"http://127.0.0.1:{port}/metrics", TestContext.Current.CancellationToken);
            Assert.Equal(scraped, scrape.IsSuccessStatusCode);

            // Stopping disposes the providers, which flush both exporters.
            await app.StopAsync(TestContext.Current.CancellationToken);
        }

        Assert.NotEmpty(receiver.Spans);
        if (expectMetrics)
        {
            Assert.True(receiver.MetricExports > 0, "no OTLP metric export arrived");
        }
        else
        {
            Assert.Equal(0, receiver.MetricExports);
        }
    }
}
