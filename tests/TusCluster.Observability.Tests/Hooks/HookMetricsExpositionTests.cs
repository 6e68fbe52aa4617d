using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using TusCluster.Hooks.Delivery;
using TusCluster.Observability.Metrics;
using TusCluster.Observability.Options;
using TusCluster.Observability.Telemetry;
using TusCluster.Observability.Tests.Infrastructure;
using TusCluster.Protocol.Events;
using static TusCluster.Observability.Tests.Infrastructure.Exposition;

namespace TusCluster.Observability.Tests.Hooks;

/// <summary>The hooks' real instruments through the service's meter provider and Prometheus exporter: the names the dashboard and alerts read.</summary>
public sealed class HookMetricsExpositionTests : IAsyncLifetime
{
    private readonly int _port = FreePort.Next();
    private WebApplication? _app;
    private HookMetrics? _metrics;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_port}");
        var options = new MetricsOptions();
        OpenTelemetryRegistration.Add(builder.Services, new ReplicaIdentity("hooks-test", "replica-0"), new TelemetryOptions(), options);
        _app = builder.Build();
        _ = _app.Services.GetRequiredService<MeterProvider>();
        ScrapeEndpoint.Use(_app, options);
        await _app.StartAsync(TestContext.Current.CancellationToken);

        // Made with this host's meter factory, as the hooks are in the service: other tests of this process
        // run hosts with their own TusCluster.Hooks meter, which this host's provider leaves out.
        _metrics = new HookMetrics(_app.Services.GetRequiredService<IMeterFactory>());
    }

    [Fact]
    public async Task Counters_and_gauges_are_exposed_at_zero_before_anything_happens()
    {
        var text = await ScrapeAsync();

        Assert.Contains("# TYPE tus_hooks_invocations_total counter\n", text, StringComparison.Ordinal);
        Assert.Equal(0, Sample(text, "tus_hooks_invocations_total"));
        Assert.Equal(0, Sample(text, "tus_hooks_events_abandoned_total"));
        Assert.Equal(0, Sample(text, "tus_hooks_events_deferred_total"));
        Assert.Contains("# TYPE tus_hooks_outbox_due gauge\n", text, StringComparison.Ordinal);
        Assert.Equal(0, Sample(text, "tus_hooks_outbox_due"));
        Assert.Equal(0, Sample(text, "tus_hooks_outbox_oldest_due_age_seconds"));
    }

    [Fact]
    public async Task Invocations_latency_losses_and_backlog_have_their_prometheus_names_and_labels()
    {
        _metrics!.Invoked(UploadEventType.PostFinish, "http", "ok", 0.02);
        _metrics.Invoked(UploadEventType.PostFinish, "http", "ok", 0.03);
        _metrics.Invoked(UploadEventType.PreCreate, "grpc", "failed", 3);
        _metrics.Abandoned();
        _metrics.Deferred();
        _metrics.Deferred();
        _metrics.Backlog(7, TimeSpan.FromSeconds(90.5));

        var text = await ScrapeAsync();

        Assert.Equal(2, Sample(text, "tus_hooks_invocations_total", ("event", "post-finish"), ("outcome", "ok"), ("sink", "http")));
        Assert.Equal(1, Sample(text, "tus_hooks_invocations_total", ("event", "pre-create"), ("outcome", "failed"), ("sink", "grpc")));
        Assert.Contains("# TYPE tus_hooks_duration_seconds histogram\n", text, StringComparison.Ordinal);

        // The instrument's own buckets (advice), not the SDK's millisecond-sized defaults.
        Assert.Equal(1, Sample(text, "tus_hooks_duration_seconds_bucket", ("event", "post-finish"), ("outcome", "ok"), ("sink", "http"), ("le", "0.025")));
        Assert.Equal(2, Sample(text, "tus_hooks_duration_seconds_bucket", ("event", "post-finish"), ("outcome", "ok"), ("sink", "http"), ("le", "0.05")));
        Assert.Equal(1, Sample(text, "tus_hooks_duration_seconds_count", ("event", "pre-create"), ("outcome", "failed"), ("sink", "grpc")));
        Assert.Equal(1, Sample(text, "tus_hooks_events_abandoned_total"));
        Assert.Equal(2, Sample(text, "tus_hooks_events_deferred_total"));
        Assert.Equal(7, Sample(text, "tus_hooks_outbox_due"));
        Assert.Equal(90.5, Sample(text, "tus_hooks_outbox_oldest_due_age_seconds"));

        _metrics.Backlog(0, TimeSpan.FromSeconds(-1));
        var after = await ScrapeAsync();
        Assert.Equal(0, Sample(after, "tus_hooks_outbox_due"));
        Assert.Equal(0, Sample(after, "tus_hooks_outbox_oldest_due_age_seconds"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private async Task<string> ScrapeAsync()
    {
        using var client = new HttpClient();
        return await client.GetStringAsync(new Uri($"http://127.0.0.1:{_port}/metrics"), TestContext.Current.CancellationToken);
    }
}
