using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Payload;

/// <summary>The <c>Events</c> setting every transport section has: tusd event names, validated at start.</summary>
internal static class HookEventsSetting
{
    /// <summary>tusd's default of -hooks-enabled-events (every event but pre-finish and pre-terminate).</summary>
    public static IReadOnlyList<UploadEventType> TusdDefault { get; } =
        [UploadEventType.PreCreate, UploadEventType.PostCreate, UploadEventType.PostReceive, UploadEventType.PostFinish, UploadEventType.PostTerminate];

    /// <summary>Adds one problem per name that is not a tusd event name.</summary>
    public static void Validate(string section, IEnumerable<string> names, ICollection<string> problems)
    {
        foreach (var name in names)
        {
            if (!UploadEventTypes.TryParse(name, out _))
            {
                problems.Add($"{section}:Events: '{name}' is not an event; use {string.Join(", ", UploadEventTypes.All.Select(type => type.Name()))}.");
            }
        }
    }

    /// <summary>The configured events, or <paramref name="defaults"/> when none is configured; names must have been validated.</summary>
    public static IReadOnlySet<UploadEventType> Resolve(IEnumerable<string> names, IReadOnlyList<UploadEventType> defaults)
    {
        var configured = names.Select(name => UploadEventTypes.TryParse(name, out var type) ? type : throw new ArgumentException($"'{name}' is not an event.", nameof(names))).ToHashSet();
        return configured.Count > 0 ? configured : defaults.ToHashSet();
    }
}
