using TusCluster.Operator.Reconciliation;

namespace TusCluster.Operator.Tests.Reconciliation;

/// <summary>
/// Metrics take one path: the service exports them over OTLP only when asked, and the operator asks exactly
/// when a collector is configured and nothing scrapes <c>/metrics</c> (no scrape annotations, no ServiceMonitor).
/// </summary>
public sealed class MetricsPathTests
{
    [Theory]
    [InlineData(null, null, null, false)]
    [InlineData("http://collector:4317", null, null, false)]
    [InlineData("http://collector:4317", true, null, false)]
    [InlineData("http://collector:4317", false, true, false)]
    [InlineData("http://collector:4317", false, false, true)]
    [InlineData("http://collector:4317", false, null, true)]
    [InlineData(null, false, false, false)]
    public void Metrics_go_to_the_collector_only_when_nothing_scrapes_them(string? otlpEndpoint, bool? scrapeAnnotations, bool? serviceMonitor, bool exported)
    {
        var spec = TestServers.RedisOnS3();
        if (otlpEndpoint is not null) spec = spec.With("monitoring.otlpEndpoint", otlpEndpoint);
        if (scrapeAnnotations is { } annotations) spec = spec.With("monitoring.prometheusScrapeAnnotations", annotations);
        if (serviceMonitor is { } monitor) spec = spec.With("monitoring.serviceMonitor.enabled", monitor);

        var config = DesiredStateBuilderTests.Config(DesiredStateBuilder.Build(TestServers.Server(spec)));

        Assert.Equal("true", config["TUS__METRICS__ENABLED"]);
        Assert.Equal(exported, config.TryGetValue("TUS__TELEMETRY__EXPORTMETRICS", out var value) && value == "true");
    }
}
