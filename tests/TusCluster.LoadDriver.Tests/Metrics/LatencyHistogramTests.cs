using TusCluster.LoadDriver.Metrics;

namespace TusCluster.LoadDriver.Tests.Metrics;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Percentiles_of_1_to_100_microseconds_are_exact_nearest_ranks()
    {
        var histogram = new LatencyHistogram();
        foreach (var value in Enumerable.Range(1, 100).Reverse())
        {
            histogram.RecordMicroseconds(value);
        }

        Assert.Equal(100, histogram.Count);
        Assert.Equal(1, histogram.PercentileMicroseconds(0));
        Assert.Equal(1, histogram.PercentileMicroseconds(1));
        Assert.Equal(50, histogram.PercentileMicroseconds(50));
        Assert.Equal(95, histogram.PercentileMicroseconds(95));
        Assert.Equal(99, histogram.PercentileMicroseconds(99));
        Assert.Equal(100, histogram.PercentileMicroseconds(100));
        Assert.Equal(50.5, histogram.MeanMicroseconds);
        Assert.Equal(100, histogram.MaxMicroseconds);
    }

    [Fact]
    public void Percentiles_in_milliseconds_are_within_a_tenth_of_a_percent()
    {
        var histogram = new LatencyHistogram();
        for (var ms = 1; ms <= 1000; ms++)
        {
            histogram.Record(TimeSpan.FromMilliseconds(ms));
        }

        Assert.Equal(500, histogram.PercentileMilliseconds(50), 500 * 0.001);
        Assert.Equal(950, histogram.PercentileMilliseconds(95), 950 * 0.001);
        Assert.Equal(990, histogram.PercentileMilliseconds(99), 990 * 0.001);
        Assert.Equal(1000, histogram.PercentileMilliseconds(100), 1000 * 0.001);
    }

    [Fact]
    public void A_skewed_distribution_puts_the_tail_in_p99_only()
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 980; i++)
        {
            histogram.RecordMicroseconds(1_000);
        }

        for (var i = 0; i < 20; i++)
        {
            histogram.RecordMicroseconds(250_000);
        }

        Assert.Equal(1_000, histogram.PercentileMicroseconds(50));
        Assert.Equal(1_000, histogram.PercentileMicroseconds(95));
        Assert.Equal(1_000, histogram.PercentileMicroseconds(98));
        Assert.InRange(histogram.PercentileMicroseconds(99), 249_750, 250_250);
    }

    [Fact]
    public void An_empty_histogram_reports_zero() => Assert.Equal(0, new LatencyHistogram().PercentileMilliseconds(95));

    [Fact]
    public void Every_value_falls_inside_the_bounds_of_its_bucket_and_buckets_are_ordered()
    {
        var random = new Random(42);
        for (var i = 0; i < 10_000; i++)
        {
            var value = random.NextInt64(0, 1L << 40);
            var (low, high) = LatencyHistogram.BoundsOf(LatencyHistogram.IndexOf(value));
            Assert.InRange(value, low, high);
            Assert.True(high - low <= Math.Max(0, value / 1000), $"{value}: [{low}, {high}]");
        }

        for (var index = 1; index < LatencyHistogram.IndexOf((1L << 40) - 1); index++)
        {
            Assert.Equal(LatencyHistogram.BoundsOf(index - 1).High + 1, LatencyHistogram.BoundsOf(index).Low);
        }
    }

    [Fact]
    public void Concurrent_recording_loses_no_samples()
    {
        var histogram = new LatencyHistogram();
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                histogram.RecordMicroseconds(i);
            }
        });

        Assert.Equal(80_000, histogram.Count);
        Assert.Equal(9_999, histogram.MaxMicroseconds);
    }
}
