using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace TusCluster.Observability.Metrics;

/// <summary>
/// Collects the measurements of the meters this service cares about with a <see cref="MeterListener"/>
/// and renders them in the Prometheus text format 0.0.4. Written here because no Prometheus exporter
/// package restores in this environment; the naming follows the OpenTelemetry compatibility rules so
/// that swapping in the OpenTelemetry exporter later keeps every dashboard working.
/// </summary>
internal sealed class PrometheusExposition : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
    private static readonly double[] BytesBuckets = [1024, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864, 268435456, 1073741824];
    private static readonly double[] DefaultBuckets = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly MeterListener _listener = new();
    private readonly Func<Meter, bool> _meterFilter;
    private readonly ConcurrentDictionary<string, MetricFamily> _families = new(StringComparer.Ordinal);
    private readonly Lock _collecting = new();

    public PrometheusExposition(Func<Meter, bool> meterFilter)
    {
        _meterFilter = meterFilter;
        _listener.InstrumentPublished = OnInstrumentPublished;
        _listener.SetMeasurementEventCallback<byte>((i, v, t, s) => Record(s, v, t));
        _listener.SetMeasurementEventCallback<short>((i, v, t, s) => Record(s, v, t));
        _listener.SetMeasurementEventCallback<int>((i, v, t, s) => Record(s, v, t));
        _listener.SetMeasurementEventCallback<long>((i, v, t, s) => Record(s, v, t));
        _listener.SetMeasurementEventCallback<float>((i, v, t, s) => Record(s, v, t));
        _listener.SetMeasurementEventCallback<double>((i, v, t, s) => Record(s, v, t));
        _listener.SetMeasurementEventCallback<decimal>((i, v, t, s) => Record(s, (double)v, t));
        _listener.Start();
    }

    /// <summary>Extra families computed at scrape time (process figures).</summary>
    public Action<StringBuilder>? AppendOnCollect { get; init; }

    /// <summary>Default meter selection: our own meters plus the runtime's and ASP.NET Core's.</summary>
    public static bool IsExported(Meter meter) =>
        meter.Name.StartsWith("TusCluster", StringComparison.Ordinal)
        || meter.Name is "System.Runtime" or "Microsoft.AspNetCore.Hosting" or "Microsoft.AspNetCore.Server.Kestrel";

    public string Collect()
    {
        var output = new StringBuilder(16 * 1024);
        lock (_collecting)
        {
            _listener.RecordObservableInstruments();
            foreach (var family in _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                family.WriteTo(output);
            }
        }

        AppendOnCollect?.Invoke(output);
        return output.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!_meterFilter(instrument.Meter))
        {
            return;
        }

        var (kind, isCounter, accumulates) = Classify(instrument);
        var name = PrometheusNaming.MetricName(instrument.Name, instrument.Unit, kind, isCounter);
        var family = _families.GetOrAdd(name, n => new MetricFamily(n, kind, instrument.Description, Bounds(instrument)));
        if (family.Kind != kind)
        {
            // Another instrument already owns this name with another type; writing both would make the scrape invalid.
            return;
        }

        listener.EnableMeasurementEvents(instrument, new InstrumentTarget(family, kind, accumulates));
    }

    private static void Record(object? state, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var target = (InstrumentTarget)state!;
        var series = target.Family.Series(tags);
        if (target.Kind == MetricKind.Histogram)
        {
            series.Record(value);
        }
        else if (target.Accumulates)
        {
            series.Add(value);
        }
        else
        {
            series.Set(value);
        }
    }

    /// <returns>The Prometheus type; whether the name gets _total; whether measurements are deltas to add.</returns>
    private static (MetricKind Kind, bool IsCounter, bool Accumulates) Classify(Instrument instrument)
    {
        var definition = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : instrument.GetType();
        return definition switch
        {
            _ when definition == typeof(Counter<>) => (MetricKind.Counter, true, true),
            _ when definition == typeof(ObservableCounter<>) => (MetricKind.Counter, true, false),
            _ when definition == typeof(UpDownCounter<>) => (MetricKind.Gauge, false, true),
            _ when definition == typeof(Histogram<>) => (MetricKind.Histogram, false, true),
            _ => (MetricKind.Gauge, false, false),
        };
    }

    private static double[] Bounds(Instrument instrument)
    {
        var advised = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray(),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            _ => null,
        };
        if (advised is { Length: > 0 })
        {
            Array.Sort(advised);
            return advised;
        }

        return instrument.Unit switch
        {
            "s" => SecondsBuckets,
            "By" => BytesBuckets,
            _ => DefaultBuckets,
        };
    }

    private sealed record InstrumentTarget(MetricFamily Family, MetricKind Kind, bool Accumulates);
}
