using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Sinks;

/// <summary>
/// The configured sinks by event type. A blocking event has at most one receiver (it decides), and that
/// receiver must be able to answer; a post-* event goes to every sink configured for it.
/// </summary>
internal sealed class HookSinks
{
    private readonly IHookSink?[] _deciders = new IHookSink?[UploadEventTypes.All.Count];
    private readonly IHookSink[][] _receivers = new IHookSink[UploadEventTypes.All.Count][];

    public HookSinks(IEnumerable<IHookSink> sinks)
    {
        var all = sinks.ToArray();
        All = all;
        var errors = new List<string>();
        foreach (var type in UploadEventTypes.All)
        {
            var receivers = all.Where(s => s.Handles(type)).ToArray();
            _receivers[(int)type] = receivers;
            if (!type.IsBlocking())
            {
                continue;
            }

            if (receivers.FirstOrDefault(s => !s.CanDecide) is { } mute)
            {
                errors.Add($"The {mute.Name} hooks cannot answer, so they cannot take the blocking {type.Name()} event.");
            }
            else if (receivers.Length > 1)
            {
                errors.Add($"The blocking {type.Name()} event is configured for {string.Join(" and ", receivers.Select(s => s.Name))}; only one receiver can decide.");
            }
            else
            {
                _deciders[(int)type] = receivers.SingleOrDefault();
            }
        }

        Errors = errors;
    }

    /// <summary>What is wrong with the configuration; reported at start by <see cref="HookSinksValidator"/>.</summary>
    public IReadOnlyList<string> Errors { get; }

    public IReadOnlyList<IHookSink> All { get; }

    public bool Any(UploadEventType type) => _receivers[(int)type].Length > 0;

    public bool AnyPost => UploadEventTypes.All.Any(t => !t.IsBlocking() && Any(t));

    public IHookSink? Decider(UploadEventType type) => _deciders[(int)type];

    public IReadOnlyList<IHookSink> Receivers(UploadEventType type) => _receivers[(int)type];
}
