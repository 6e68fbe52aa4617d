using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace TusCluster.Coordination.Outbox;

/// <summary>
/// What every backend does after it set aside an outbox entry it cannot read (a bug, a manual edit, a version
/// skew): one error log with the entry's key and where its bytes now are, and one count of
/// <c>tus.hooks.events.unreadable</c> (meter <see cref="MeterName"/>, tag <c>tus.backend</c>). The entry is never
/// returned again, so one bad entry cannot stop the delivery of the others. Static, like the protocol's telemetry:
/// nothing to inject into every backend for one counter.
/// </summary>
public static partial class UnreadableOutboxEntries
{
    public const string MeterName = "TusCluster.Coordination";

    public const string InstrumentName = "tus.hooks.events.unreadable";

    private static readonly ConcurrentDictionary<string, long[]> Counts = new(StringComparer.Ordinal);

    private static readonly Meter Meter = new(MeterName);

    // Observed, not added: a backend's series exists at 0 from its start, whenever the meter provider begins to
    // listen, so the alert on its increase has a series before the first bad entry.
    private static readonly ObservableCounter<long> SetAsideCount = Meter.CreateObservableCounter(
        InstrumentName,
        () => Counts.Select(c => new Measurement<long>(Interlocked.Read(ref c.Value[0]), new KeyValuePair<string, object?>("tus.backend", c.Key))),
        "{event}",
        "Outbox entries that could not be read and were set aside undelivered, by backend.");

    /// <summary>Starts the backend's series at 0; each backend calls it once it is built.</summary>
    /// <param name="backend">The backend's name as in <c>tus.backend</c> (embedded, redis, etcd, dynamodb, postgresql, s3).</param>
    public static void Track(string backend) => Counts.GetOrAdd(backend, _ => new long[1]);

    /// <summary>Logs and counts an entry just set aside; call once, after the backend moved or marked it.</summary>
    /// <param name="backend">As for <see cref="Track"/>.</param>
    /// <param name="key">Where the entry was stored (key, item, row, file).</param>
    /// <param name="deadLetter">Where its bytes are kept for an operator now.</param>
    /// <param name="problem">Why it cannot be read.</param>
    public static void SetAside(ILogger logger, string backend, string key, string deadLetter, string? problem)
    {
        Interlocked.Increment(ref Counts.GetOrAdd(backend, _ => new long[1])[0]);
        LogSetAside(logger, key, problem ?? "unreadable", deadLetter);
    }

    [LoggerMessage(
        EventId = 9100,
        Level = LogLevel.Error,
        Message = "The outbox entry {Key} is unreadable ({Problem}); it was set aside at {DeadLetter} and will not be delivered. Inspect it there, then remove it.")]
    private static partial void LogSetAside(ILogger logger, string key, string problem, string deadLetter);
}
