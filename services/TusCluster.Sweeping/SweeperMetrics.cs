using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TusCluster.Sweeping;

/// <summary>The instruments of the meter <c>TusCluster.Sweeper</c>.</summary>
internal sealed class SweeperMetrics
{
    public const string MeterName = "TusCluster.Sweeper";

    private readonly Counter<long> _expired;
    private readonly Counter<long> _bytes;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _stranded;
    private double _lagSeconds;
    private int _leading;

    public SweeperMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _expired = meter.CreateCounter<long>("tus.sweeper.uploads.expired", "{upload}", "Uploads (or orphaned byte sets) reclaimed, or that a dry run would reclaim.");
        _bytes = meter.CreateCounter<long>("tus.sweeper.reclaimed", "By", "Bytes reclaimed (committed bytes of uploads, all bytes of orphans).");
        _duration = meter.CreateHistogram(
            "tus.sweeper.pass.duration",
            "s",
            "Duration of one sweep pass.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] });
        _errors = meter.CreateCounter<long>("tus.sweeper.errors", description: "Entries or passes that failed and are retried by a later pass.");
        _stranded = meter.CreateCounter<long>(
            "tus.sweeper.uploads.finished_stranded",
            "{upload}",
            "Uploads that had every byte committed but were never finished (their writer stopped before the last step), finished by the sweeper instead of expired.");
        meter.CreateObservableGauge("tus.sweeper.lag", () => Volatile.Read(ref _lagSeconds), "s", "Age of the oldest expired entry still in the expiry index after the last pass (0 when not leading).");
        meter.CreateObservableGauge("tus.sweeper.leader", () => Volatile.Read(ref _leading), description: "1 while this instance is the sweeping leader.");

        // At zero from the start, so that rates and the sweeper alerts have a series before the first reclaim or error.
        _expired.Add(0);
        _bytes.Add(0);
        _errors.Add(0);
        _stranded.Add(0);
    }

    public double LagSeconds => Volatile.Read(ref _lagSeconds);

    public bool IsLeading => Volatile.Read(ref _leading) == 1;

    public void Reclaimed(SweepPolicy policy, long bytes, bool dryRun)
    {
        var tags = new TagList { { "policy", PolicyTag(policy) }, { "dry_run", dryRun } };
        _expired.Add(1, tags);
        if (bytes > 0)
        {
            _bytes.Add(bytes, tags);
        }
    }

    public void FinishedStranded() => _stranded.Add(1);

    public void PassCompleted(TimeSpan duration, TimeSpan lag)
    {
        _duration.Record(duration.TotalSeconds);
        Volatile.Write(ref _lagSeconds, Math.Max(0, lag.TotalSeconds));
    }

    public void Error(string stage) => _errors.Add(1, new KeyValuePair<string, object?>("stage", stage));

    public void Leading(bool leading)
    {
        Volatile.Write(ref _leading, leading ? 1 : 0);
        if (!leading)
        {
            // Only the leader knows the lag; a standby reporting its last figure would mislead a max().
            Volatile.Write(ref _lagSeconds, 0);
        }
    }

    private static string PolicyTag(SweepPolicy policy) => policy switch
    {
        SweepPolicy.Expired => "expired",
        SweepPolicy.Retention => "retention",
        SweepPolicy.Tombstone => "tombstone",
        _ => "orphan",
    };
}
