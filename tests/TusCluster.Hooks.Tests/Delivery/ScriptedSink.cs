using System.Collections.Concurrent;
using TusCluster.Hooks.Sinks;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Tests.Delivery;

/// <summary>
/// Stands in for a transport (our own sink interface, not a receiver) so that delivery, retries and
/// leadership can be checked alone; every real transport is tested against a real receiver in its own folder.
/// </summary>
internal sealed class ScriptedSink(string name, bool canDecide, params UploadEventType[] types) : IHookSink
{
    public ConcurrentQueue<UploadEvent> Received { get; } = new();

    /// <summary>While true, every invocation fails as an unreachable receiver does.</summary>
    public bool Down { get; set; }

    public string Name => name;

    public bool CanDecide => canDecide;

    public bool Handles(UploadEventType type) => types.Contains(type);

    public ValueTask<HookDecision> InvokeAsync(UploadEvent uploadEvent, CancellationToken cancellationToken)
    {
        if (Down)
        {
            throw new HookUnavailableException($"{name} is down");
        }

        Received.Enqueue(uploadEvent);
        return ValueTask.FromResult(HookDecision.Proceed);
    }
}
