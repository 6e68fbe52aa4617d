using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TusCluster.Observability.Instrumentation;

/// <summary>Meter and spans of the upload stores.</summary>
internal static class StoreTelemetry
{
    public const string Name = "TusCluster.Store";

    public static readonly string[] Operations = ["create", "stage", "discard", "settle", "complete", "concatenate", "open_read", "delete", "health"];

    private static readonly Meter Meter = new(Name);

    public static ActivitySource ActivitySource { get; } = new(Name);

    /// <summary>Stage includes receiving the body, so its tail follows the clients' upload speed.</summary>
    public static Histogram<double> OperationDuration { get; } = Meter.CreateHistogram(
        "tus.store.operation.duration",
        "s",
        "Duration of store operations (stage includes receiving the request body).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });

    public static Counter<long> Errors { get; } = Meter.CreateCounter<long>("tus.store.errors", "{error}", "Store operations that failed.");

    public static void Initialize(string backend)
    {
        foreach (var operation in Operations)
        {
            Errors.Add(0, new(CoordinationTelemetry.BackendTag, backend), new(CoordinationTelemetry.OperationTag, operation));
        }
    }
}
