using System.Net.Http.Headers;

namespace TusCluster.LoadDriver.Scenarios;

/// <summary>
/// How a failed request is tried again, as tus-js-client does it: one retry per entry of
/// <see cref="Delays"/>, waiting that long first; a Retry-After the server sent is honoured when it asks
/// for longer, up to <see cref="MaxRetryAfter"/> (a server naming an hour must not stall the run).
/// </summary>
internal sealed record RetryPolicy
{
    /// <summary>tus-js-client's default retryDelays: [0, 1000, 3000, 5000] ms.</summary>
    public static readonly IReadOnlyList<TimeSpan> TusJsClientDelays =
        [TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5)];

    public static readonly TimeSpan DefaultMaxRetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>At most this many retries per failure, to keep a typo from meaning "for ever".</summary>
    public const int MaxRetries = 100;

    public IReadOnlyList<TimeSpan> Delays { get; init; } = TusJsClientDelays;

    public TimeSpan MaxRetryAfter { get; init; } = DefaultMaxRetryAfter;

    /// <summary>
    /// The wait before retry number <paramref name="retry"/> (0 for the first): its delay, or the
    /// server's Retry-After (seconds or an HTTP date, relative to <paramref name="now"/>) when longer.
    /// </summary>
    public TimeSpan DelayBefore(int retry, RetryConditionHeaderValue? retryAfter, DateTimeOffset now)
    {
        var delay = Delays[retry];
        var asked = retryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - now,
            _ => TimeSpan.Zero,
        };

        asked = asked < TimeSpan.Zero ? TimeSpan.Zero : asked > MaxRetryAfter ? MaxRetryAfter : asked;
        return asked > delay ? asked : delay;
    }
}
