namespace TusCluster.Operator.Kubernetes;

/// <summary>
/// Exponential backoff with jitter (as client-go's wait.Jitter): the n-th retry waits initial * 2^(n-1), capped,
/// plus up to 20 % more, so that many keys or watches that failed together do not retry in lock-step.
/// </summary>
internal static class Backoff
{
    private const double JitterFactor = 0.2;

    public static TimeSpan Delay(int attempt, TimeSpan initial, TimeSpan max, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var exponential = initial.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = Math.Min(exponential, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (1 + (JitterFactor * Math.Clamp(random, 0, 1))));
    }
}
