using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace TusCluster.Coordination.Outbox;

/// <summary>
/// What every backend does after it set aside an outbox entry it cannot read (a bug, a manual edit, a version
/// skew): one error log with the entry's key and where its bytes now are, and one count of
/// <c>tus.hooks.events.unreadable</c> (meter <see cref="MeterName"/>). The entry is never returned again, so one bad
/// entry cannot stop the delivery of the others. Static, like the protocol's telemetry: nothing to inject into
/// every backend for one counter.
/// </summary>
public static partial class UnreadableOutboxEntries
{
    public const string MeterName = "TusCluster.Coordination";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> SetAsideCount = Meter.CreateCounter<long>(
        "tus.hooks.events.unreadable", "{event}", "Outbox entries that could not be read and were set aside undelivered, by backend.");

    /// <summary>Logs and counts an entry just set aside; call once, after the backend moved or marked it.</summary>
    /// <param name="backend">The backend's name as in <c>tus_backend</c> (redis, etcd, ...).</param>
    /// <param name="key">Where the entry was stored (key, item, row, file).</param>
    /// <param name="deadLetter">Where its bytes are kept for an operator now.</param>
    /// <param name="problem">Why it cannot be read.</param>
    public static void SetAside(ILogger logger, string backend, string key, string deadLetter, string? problem)
    {
        SetAsideCount.Add(1, new TagList { { "tus_backend", backend } });
        LogSetAside(logger, key, problem ?? "unreadable", deadLetter);
    }

    [LoggerMessage(
        EventId = 9100,
        Level = LogLevel.Error,
        Message = "The outbox entry {Key} is unreadable ({Problem}); it was set aside at {DeadLetter} and will not be delivered. Inspect it there, then remove it.")]
    private static partial void LogSetAside(ILogger logger, string key, string problem, string deadLetter);
}
