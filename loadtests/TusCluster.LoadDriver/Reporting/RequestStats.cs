namespace TusCluster.LoadDriver.Reporting;

/// <summary>Latency of one request kind, in milliseconds.</summary>
internal sealed record RequestStats(long Count, double P50Ms, double P95Ms, double P99Ms, double MeanMs, double MaxMs);
