using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;
using TusCluster.Observability.Tests.Infrastructure;
using TusCluster.UploadService.Hosting;

namespace TusCluster.Observability.Tests;

/// <summary>The metrics endpoint and settings as wired into the real upload service host.</summary>
public sealed class ObservabilityHostingTests
{
    [Fact]
    public async Task Metrics_are_served_on_the_main_listener_at_the_configured_path()
    {
        using var data = new TemporaryDirectory();
        var port = FreePort.Next();
        await using var app = Build(data, port, "--Tus:Metrics:Path=/internal/metrics");
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/internal/metrics"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(response.Content.Headers.ContentType.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(Exposition.Sample(text, "process_cpu_seconds_total") > 0, text);
        Assert.True(Exposition.Sample(text, "process_open_fds") > 0);
        Assert.True(Exposition.Sample(text, "process_max_fds") >= Exposition.Sample(text, "process_open_fds"));
        Assert.True(Exposition.Sample(text, "process_resident_memory_bytes") > 1024 * 1024);
        Assert.Equal(0, Exposition.Sample(text, "tus_lock_timeouts_total", ("tus_backend", "embedded")));
        Assert.Equal(0, Exposition.Sample(text, "tus_uploads_terminated_total"));
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task With_a_metrics_port_the_scrape_is_served_there_only_and_that_port_serves_nothing_else()
    {
        using var data = new TemporaryDirectory();
        var port = FreePort.Next();
        var metricsPort = FreePort.Next();
        await using var app = Build(data, port, $"--Tus:Metrics:Port={metricsPort}");
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var client = new HttpClient();

        using var scrape = await client.GetAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"), TestContext.Current.CancellationToken);
        using var onMain = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/metrics"), TestContext.Current.CancellationToken);
        using var tusOnMetricsPort = await client.SendAsync(Tus.Request(HttpMethod.Post, new Uri($"http://127.0.0.1:{metricsPort}/files/"), ("Upload-Length", "1")), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, onMain.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, tusOnMetricsPort.StatusCode);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public void Bad_settings_are_reported_together_at_start()
    {
        using var data = new TemporaryDirectory();
        var error = Assert.Throws<AggregateException>(() => Build(
            data,
            FreePort.Next(),
            "--Tus:Metrics:Path=metrics",
            "--Tus:Metrics:Port=70000",
            "--Tus:Telemetry:OtlpEndpoint=ftp://collector",
            "--Tus:Telemetry:TraceSampleRatio=1.5",
            "--Tus:Telemetry:MaxTracesPerSecond=-1"));

        var failures = error.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures).ToList();
        Assert.Contains(failures, f => f.Contains("Tus:Metrics:Path", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Tus:Metrics:Port", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Tus:Telemetry:OtlpEndpoint", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Tus:Telemetry:TraceSampleRatio", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Tus:Telemetry:MaxTracesPerSecond", StringComparison.Ordinal));
    }

    private static WebApplication Build(TemporaryDirectory data, int port, params string[] arguments) => UploadServiceHost.Build(
    [
        $"--urls=http://127.0.0.1:{port}",
        $"--Tus:Storage:FileSystem:Root={data.Path}/uploads",
        $"--Tus:Coordination:Embedded:Directory={data.Path}/meta",
        "--Tus:Sweeper:Enabled=false",
        .. arguments,
    ]);
}
