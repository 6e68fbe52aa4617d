using System.Collections.Concurrent;
using System.Text;

namespace TusCluster.Observability.Metrics;

/// <summary>
/// Every series of one Prometheus metric. Instruments that map to the same name (the same meter in
/// two hosts of one process) share a family, so a label set is never written twice.
/// </summary>
internal sealed class MetricFamily(string name, MetricKind kind, string? help, double[] bounds)
{
    private readonly ConcurrentDictionary<string, MetricSeries> _series = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public MetricKind Kind { get; } = kind;

    public MetricSeries Series(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = LabelSet.KeyOf(tags);
        if (_series.TryGetValue(key, out var series))
        {
            return series;
        }

        var created = new MetricSeries(LabelSet.Create(key, tags), Kind == MetricKind.Histogram ? bounds : null);
        return _series.GetOrAdd(key, created);
    }

    public void WriteTo(StringBuilder output)
    {
        // A counter is shown at 0 until its first event, so that rate() and alerts see it from the
        // start and a renamed metric shows as missing, not as "no errors yet".
        var placeholder = _series.IsEmpty;
        if (placeholder && Kind != MetricKind.Counter)
        {
            return;
        }

        if (!string.IsNullOrEmpty(help))
        {
            output.Append("# HELP ").Append(Name).Append(' ').Append(PrometheusNaming.EscapeHelp(help)).Append('\n');
        }

        output.Append("# TYPE ").Append(Name).Append(' ').Append(Kind switch
        {
            MetricKind.Counter => "counter",
            MetricKind.Histogram => "histogram",
            _ => "gauge",
        }).Append('\n');

        if (placeholder)
        {
            WriteSample(output, Name, [], null, 0);
        }

        foreach (var series in _series.Values.OrderBy(s => s.Labels.Key, StringComparer.Ordinal))
        {
            if (Kind == MetricKind.Histogram)
            {
                series.WriteHistogram(output, Name);
            }
            else
            {
                WriteSample(output, Name, series.Labels.Rendered, null, series.Value);
            }
        }
    }

    internal static void WriteSample(StringBuilder output, string name, string[] labels, string? extra, double value)
    {
        output.Append(name);
        if (labels.Length > 0 || extra is not null)
        {
            output.Append('{').AppendJoin(',', labels);
            if (extra is not null)
            {
                output.Append(labels.Length > 0 ? "," : string.Empty).Append(extra);
            }

            output.Append('}');
        }

        output.Append(' ').Append(PrometheusNaming.FormatValue(value)).Append('\n');
    }
}
