using System.Diagnostics;
using System.Diagnostics.Metrics;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Delivery;

/// <summary>The instruments of the meter <c>TusCluster.Hooks</c>.</summary>
internal sealed class HookMetrics
{
    public const string MeterName = "TusCluster.Hooks";

    private readonly Counter<long> _invocations;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _abandoned;
    private readonly Counter<long> _deferred;
    private long _due;
    private double _oldestDueSeconds;

    public HookMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _invocations = meter.CreateCounter<long>("tus.hooks.invocations", "{invocation}", "Hook invocations by event, sink and outcome (ok, rejected, failed).");
        _duration = meter.CreateHistogram(
            "tus.hooks.duration",
            "s",
            "Time of one hook invocation, retries included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] });
        _abandoned = meter.CreateCounter<long>("tus.hooks.events.abandoned", "{event}", "Events dropped undelivered after Tus:Hooks:GiveUpAfter (or unreadable).");
        _deferred = meter.CreateCounter<long>("tus.hooks.events.deferred", "{event}", "Committed events left to redelivery because the immediate delivery queue was full.");
        meter.CreateObservableGauge("tus.hooks.outbox.due", () => Interlocked.Read(ref _due), "{event}", "Undelivered events past their redelivery time, seen by the delivery leader's last look (at most Tus:Hooks:RedeliveryBatchSize; 0 when not leading).");
        meter.CreateObservableGauge("tus.hooks.outbox.oldest_due_age", () => Volatile.Read(ref _oldestDueSeconds), "s", "How long the oldest due undelivered event has been due (0 when none or not leading).");

        // At zero from the start, so that rates and the abandoned-events alert have a series before the first event.
        _invocations.Add(0);
        _abandoned.Add(0);
        _deferred.Add(0);
    }

    public void Invoked(UploadEventType type, string sink, string outcome, double seconds)
    {
        var tags = new TagList { { "event", type.Name() }, { "sink", sink }, { "outcome", outcome } };
        _invocations.Add(1, tags);
        _duration.Record(seconds, tags);
    }

    public void Abandoned() => _abandoned.Add(1);

    public void Deferred() => _deferred.Add(1);

    public void Backlog(int due, TimeSpan oldestDue)
    {
        Interlocked.Exchange(ref _due, due);
        Volatile.Write(ref _oldestDueSeconds, Math.Max(0, oldestDue.TotalSeconds));
    }
}
