namespace TusCluster.LoadDriver.Metrics;

/// <summary>
/// Lock-free latency histogram in microseconds with log-linear buckets: exact below 2,048 µs, then
/// 1,024 buckets per power of two (relative error under 0.1 %). Fixed memory whatever the run length,
/// so a long run never keeps a list of samples, and recording is one interlocked increment.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 10;
    private const int SubBucketCount = 1 << SubBucketBits;
    private const int ExactLimit = 2 * SubBucketCount;

    // 2^40 µs is about 12.7 days: longer latencies are clamped, which no run reaches.
    private const int MaxMagnitude = 40;
    private const long MaxValue = (1L << MaxMagnitude) - 1;

    private readonly long[] _buckets = new long[ExactLimit + ((MaxMagnitude - SubBucketBits - 1) * SubBucketCount)];
    private long _count;
    private long _sum;
    private long _max;

    public long Count => Interlocked.Read(ref _count);

    public double MeanMicroseconds => Count == 0 ? 0 : (double)Interlocked.Read(ref _sum) / Count;

    public long MaxMicroseconds => Interlocked.Read(ref _max);

    public void Record(TimeSpan elapsed) => RecordMicroseconds((long)elapsed.TotalMicroseconds);

    public void RecordMicroseconds(long value)
    {
        value = Math.Clamp(value, 0, MaxValue);
        Interlocked.Increment(ref _buckets[IndexOf(value)]);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sum, value);
        long seen;
        while (value > (seen = Interlocked.Read(ref _max)) && Interlocked.CompareExchange(ref _max, value, seen) != seen)
        {
            // Another thread raised the maximum meanwhile; compare again.
        }
    }

    /// <summary>
    /// Nearest-rank percentile (the smallest recorded value that at least <paramref name="percent"/> %
    /// of the samples do not exceed), as the middle of its bucket; 0 when nothing was recorded.
    /// </summary>
    public double PercentileMicroseconds(double percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        var count = Count;
        if (count == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percent / 100 * count));
        long seen = 0;
        for (var index = 0; index < _buckets.Length; index++)
        {
            seen += Interlocked.Read(ref _buckets[index]);
            if (seen >= rank)
            {
                var (low, high) = BoundsOf(index);
                return Math.Min(low + ((high - low) / 2.0), MaxMicroseconds);
            }
        }

        return MaxMicroseconds;
    }

    public double PercentileMilliseconds(double percent) => PercentileMicroseconds(percent) / 1000;

    internal static int IndexOf(long value)
    {
        if (value < ExactLimit)
        {
            return (int)value;
        }

        var magnitude = 63 - (int)long.LeadingZeroCount(value);
        var shift = magnitude - SubBucketBits;
        var sub = (int)(value >> shift) - SubBucketCount;
        return ExactLimit + ((magnitude - SubBucketBits - 1) * SubBucketCount) + sub;
    }

    /// <summary>Lowest and highest value that fall into bucket <paramref name="index"/>.</summary>
    internal static (long Low, long High) BoundsOf(int index)
    {
        if (index < ExactLimit)
        {
            return (index, index);
        }

        var relative = index - ExactLimit;
        var shift = (relative / SubBucketCount) + 1;
        var low = (long)(SubBucketCount + (relative % SubBucketCount)) << shift;
        return (low, low + (1L << shift) - 1);
    }
}
