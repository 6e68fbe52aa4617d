using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using TusCluster.Hooks.Delivery;
using TusCluster.Observability.Metrics;
using TusCluster.Protocol.Events;

namespace TusCluster.Observability.Tests.Hooks;

/// <summary>The hooks' real instruments through the real exposition: the names the dashboard and alerts read.</summary>
public sealed class HookMetricsExpositionTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly PrometheusExposition _exposition;
    private readonly HookMetrics _metrics;

    public HookMetricsExpositionTests()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();

        // Only this factory's meter: other tests of this process run hosts with their own TusCluster.Hooks meter.
        _exposition = new PrometheusExposition(m => m.Name == HookMetrics.MeterName && m.Scope == factory);
        _metrics = new HookMetrics(factory);
    }

    [Fact]
    public void Counters_and_gauges_are_exposed_at_zero_before_anything_happens()
    {
        var text = _exposition.Collect();

        Assert.Contains("# TYPE tus_hooks_invocations_total counter\ntus_hooks_invocations_total 0\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE tus_hooks_events_abandoned_total counter\ntus_hooks_events_abandoned_total 0\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE tus_hooks_events_deferred_total counter\ntus_hooks_events_deferred_total 0\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE tus_hooks_outbox_due gauge\ntus_hooks_outbox_due 0\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE tus_hooks_outbox_oldest_due_age_seconds gauge\ntus_hooks_outbox_oldest_due_age_seconds 0\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Invocations_latency_losses_and_backlog_have_their_prometheus_names_and_labels()
    {
        _metrics.Invoked(UploadEventType.PostFinish, "http", "ok", 0.02);
        _metrics.Invoked(UploadEventType.PostFinish, "http", "ok", 0.03);
        _metrics.Invoked(UploadEventType.PreCreate, "grpc", "failed", 3);
        _metrics.Abandoned();
        _metrics.Deferred();
        _metrics.Deferred();
        _metrics.Backlog(7, TimeSpan.FromSeconds(90.5));

        var text = _exposition.Collect();

        Assert.Contains("tus_hooks_invocations_total{event=\"post-finish\",outcome=\"ok\",sink=\"http\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("tus_hooks_invocations_total{event=\"pre-create\",outcome=\"failed\",sink=\"grpc\"} 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tus_hooks_invocations_total 0\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE tus_hooks_duration_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("tus_hooks_duration_seconds_bucket{event=\"post-finish\",outcome=\"ok\",sink=\"http\",le=\"0.025\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("tus_hooks_duration_seconds_count{event=\"pre-create\",outcome=\"failed\",sink=\"grpc\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\ntus_hooks_events_abandoned_total 1\n", text, StringComparison.Ordinal);
        Assert.Contains("\ntus_hooks_events_deferred_total 2\n", text, StringComparison.Ordinal);
        Assert.Contains("\ntus_hooks_outbox_due 7\n", text, StringComparison.Ordinal);
        Assert.Contains("\ntus_hooks_outbox_oldest_due_age_seconds 90.5\n", text, StringComparison.Ordinal);

        _metrics.Backlog(0, TimeSpan.FromSeconds(-1));
        var after = _exposition.Collect();
        Assert.Contains("\ntus_hooks_outbox_due 0\n", after, StringComparison.Ordinal);
        Assert.Contains("\ntus_hooks_outbox_oldest_due_age_seconds 0\n", after, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _exposition.Dispose();
        _services.Dispose();
    }
}
