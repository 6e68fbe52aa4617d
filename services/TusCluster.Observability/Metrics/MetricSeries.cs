using System.Text;

namespace TusCluster.Observability.Metrics;

/// <summary>One series: a value (counter, gauge) or bucket counts with sum and count (histogram).</summary>
internal sealed class MetricSeries(LabelSet labels, double[]? bounds)
{
    private readonly Lock _lock = new();
    private readonly long[]? _buckets = bounds is null ? null : new long[bounds.Length + 1];
    private double _value;
    private long _count;

    public LabelSet Labels { get; } = labels;

    public double Value
    {
        get
        {
            lock (_lock)
            {
                return _value;
            }
        }
    }

    public void Add(double delta)
    {
        lock (_lock)
        {
            _value += delta;
        }
    }

    public void Set(double value)
    {
        lock (_lock)
        {
            _value = value;
        }
    }

    public void Record(double value)
    {
        // Upper bounds are inclusive (le): the first bucket whose bound is >= value.
        var index = Array.BinarySearch(bounds!, value);
        index = index >= 0 ? index : ~index;
        lock (_lock)
        {
            _buckets![index]++;
            _value += value;
            _count++;
        }
    }

    public void WriteHistogram(StringBuilder output, string name)
    {
        long[] buckets;
        double sum;
        long count;
        lock (_lock)
        {
            buckets = (long[])_buckets!.Clone();
            sum = _value;
            count = _count;
        }

        long cumulative = 0;
        for (var i = 0; i < bounds!.Length; i++)
        {
            cumulative += buckets[i];
            MetricFamily.WriteSample(output, name + "_bucket", Labels.Rendered, $"le=\"{PrometheusNaming.FormatValue(bounds[i])}\"", cumulative);
        }

        MetricFamily.WriteSample(output, name + "_bucket", Labels.Rendered, "le=\"+Inf\"", count);
        MetricFamily.WriteSample(output, name + "_sum", Labels.Rendered, null, sum);
        MetricFamily.WriteSample(output, name + "_count", Labels.Rendered, null, count);
    }
}
