using TusCluster.Observability.Tests.Infrastructure;

namespace TusCluster.Observability.Tests;

/// <summary>
/// <c>Tus:Telemetry:ExportMetrics</c> against the service's real OTLP exporter: metrics go to the collector by
/// default, and not with false (a Prometheus-scraped cluster then aggregates every measurement once, not twice);
/// spans go either way.
/// </summary>
public sealed class OtlpMetricExportTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Metrics_are_exported_over_otlp_unless_turned_off_and_spans_are_exported_either_way(bool exportMetrics)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var data = new TemporaryDirectory();
        var port = FreePort.Next();
        var app = receiver.BuildUploadService(data, port, $"--Tus:Telemetry:ExportMetrics={exportMetrics}");
        await using (app)
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
            using var client = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/files/");
            request.Headers.Add("Tus-Resumable", "1.0.0");
            request.Headers.Add("Upload-Length", "10");
            using var created = await client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);

            // Stopping disposes the providers, which flush both exporters.
            await app.StopAsync(TestContext.Current.CancellationToken);
        }

        Assert.NotEmpty(receiver.Spans);
        if (exportMetrics)
        {
            Assert.True(receiver.MetricExports > 0, "no OTLP metric export arrived");
        }
        else
        {
            Assert.Equal(0, receiver.MetricExports);
        }
    }
}
