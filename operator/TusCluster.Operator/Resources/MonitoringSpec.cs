namespace TusCluster.Operator.Resources;

internal sealed record MonitoringSpec
{
    public bool? PrometheusScrapeAnnotations { get; init; }
    public string? MetricsPath { get; init; }
    public int? MetricsPort { get; init; }
    public string? OtlpEndpoint { get; init; }
    public ServiceMonitorSpec? ServiceMonitor { get; init; }
}
