using System.Diagnostics;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Delivery;

/// <summary>
/// Fault injection for crash tests, off unless the environment variable
/// <c>TUSCLUSTER_FAULT_KILL_AFTER_COMMIT</c> names an event type and a probability (e.g.
/// <c>post-finish:0.3</c>): the process then kills itself (SIGKILL, no clean-up) right after committing
/// such an event and before delivering it, the exact moment at-least-once delivery must survive.
/// Never set it in production.
/// </summary>
internal sealed class CrashAfterCommit
{
    public const string Variable = "TUSCLUSTER_FAULT_KILL_AFTER_COMMIT";

    private readonly UploadEventType? _type;
    private readonly double _probability;

    public CrashAfterCommit()
        : this(Environment.GetEnvironmentVariable(Variable))
    {
    }

    internal CrashAfterCommit(string? setting)
    {
        var parts = setting?.Split(':', 2) ?? [];
        if (parts.Length == 2 && UploadEventTypes.TryParse(parts[0], out var type)
            && double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var probability))
        {
            (_type, _probability) = (type, Math.Clamp(probability, 0, 1));
        }
    }

    public bool IsArmed => _type is not null;

    /// <summary>Kills the process when an armed event is among <paramref name="entries"/> and the dice say so.</summary>
    public void MaybeCrash(IReadOnlyList<OutboxEntry> entries)
    {
        if (_type is not { } type || Random.Shared.NextDouble() >= _probability)
        {
            return;
        }

        var name = $"\"Type\":\"{type}\"";
        if (entries.Any(e => e.Payload.Contains(name, StringComparison.Ordinal)))
        {
            Process.GetCurrentProcess().Kill();
        }
    }
}
