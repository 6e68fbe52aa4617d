namespace TusCluster.Observability.Metrics;

internal enum MetricKind
{
    Counter,
    Gauge,
    Histogram,
}
