using TusCluster.Protocol.Coordination;

namespace TusCluster.Protocol.Events;

/// <summary>No receiver configured: the engine raises nothing.</summary>
public sealed class NoUploadHooks : IUploadHooks
{
    public IReadOnlyCollection<string> ForwardedHeaders => [];

    public TimeSpan PostReceiveInterval => TimeSpan.MaxValue;

    public TimeSpan RedeliveryDelay => TimeSpan.MaxValue;

    public bool IsEnabled(UploadEventType type) => false;

    public ValueTask<HookDecision> RunBlockingAsync(UploadEvent uploadEvent, CancellationToken cancellationToken) =>
        ValueTask.FromResult(HookDecision.Proceed);

    public void Committed(IReadOnlyList<OutboxEntry> entries)
    {
    }
}
