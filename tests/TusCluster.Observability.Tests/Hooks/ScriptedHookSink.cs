using System.Collections.Concurrent;
using TusCluster.Hooks.Sinks;
using TusCluster.Protocol.Events;

namespace TusCluster.Observability.Tests.Hooks;

/// <summary>
/// Stands in for a transport (our own sink interface, not a receiver): the metrics are what is checked
/// here; each real transport is tested against a real receiver in TusCluster.Hooks.Tests.
/// Takes pre-create (and lets it proceed), post-create and post-finish; post-terminate always fails,
/// as a receiver that is down does, so those events wait for redelivery and are finally dropped.
/// </summary>
internal sealed class ScriptedHookSink : IHookSink
{
    public ConcurrentQueue<UploadEvent> Received { get; } = new();

    public string Name => "scripted";

    public bool CanDecide => true;

    public bool Handles(UploadEventType type) =>
        type is UploadEventType.PreCreate or UploadEventType.PostCreate or UploadEventType.PostFinish or UploadEventType.PostTerminate;

    public ValueTask<HookDecision> InvokeAsync(UploadEvent uploadEvent, CancellationToken cancellationToken)
    {
        if (uploadEvent.Type == UploadEventType.PostTerminate)
        {
            throw new HookUnavailableException("The post-terminate receiver is down");
        }

        Received.Enqueue(uploadEvent);
        return ValueTask.FromResult(HookDecision.Proceed);
    }
}
