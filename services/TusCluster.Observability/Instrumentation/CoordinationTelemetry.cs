using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TusCluster.Observability.Instrumentation;

/// <summary>Meter and spans of the coordination backends (locks, hand-overs, record commits).</summary>
internal static class CoordinationTelemetry
{
    public const string Name = "TusCluster.Coordination";
    public const string BackendTag = "tus.backend";
    public const string OperationTag = "tus.operation";

    /// <summary>Every operation label value, so error series exist (at zero) before the first error.</summary>
    public static readonly string[] Operations = ["get", "acquire", "commit", "commit_release", "release", "remove", "read_expired", "health"];

    private static readonly Meter Meter = new(Name);

    public static ActivitySource ActivitySource { get; } = new(Name);

    public static Histogram<double> AcquireDuration { get; } = Meter.CreateHistogram(
        "tus.lock.acquire.duration",
        "s",
        "Time to acquire an upload's lease, hand-over waits included, by outcome (acquired, timeout, error).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    public static Counter<long> HandOvers { get; } = Meter.CreateCounter<long>("tus.lock.handovers", "{handover}", "Leases whose holder was asked to hand the upload over to another request.");

    public static Counter<long> Timeouts { get; } = Meter.CreateCounter<long>("tus.lock.timeouts", "{timeout}", "Lease acquisitions that timed out (answered 423).");

    public static Counter<long> LeasesLost { get; } = Meter.CreateCounter<long>("tus.lock.lost", "{lease}", "Leases lost while held (expired, or a newer holder took over).");

    public static Histogram<double> OperationDuration { get; } = Meter.CreateHistogram(
        "tus.coordination.operation.duration",
        "s",
        "Duration of coordination backend operations other than acquire.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    public static Counter<long> Errors { get; } = Meter.CreateCounter<long>("tus.coordination.errors", "{error}", "Coordination backend operations that failed (backend unreachable or erroring).");

    public static void Initialize(string backend)
    {
        var tag = new KeyValuePair<string, object?>(BackendTag, backend);
        HandOvers.Add(0, tag);
        Timeouts.Add(0, tag);
        LeasesLost.Add(0, tag);
        foreach (var operation in Operations)
        {
            Errors.Add(0, tag, new KeyValuePair<string, object?>(OperationTag, operation));
        }
    }
}
