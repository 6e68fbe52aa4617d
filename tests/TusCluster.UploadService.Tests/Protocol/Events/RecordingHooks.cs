using System.Collections.Concurrent;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Events;

namespace TusCluster.UploadService.Tests.Protocol.Events;

/// <summary>
/// Stands in for the hooks project (our own interface, not a server) so that the engine's events can be
/// checked without a transport: blocking events get the decision the test sets, committed post-* entries
/// are recorded and left in the outbox. Real receivers are tested in TusCluster.Hooks.Tests.
/// </summary>
internal sealed class RecordingHooks(params UploadEventType[] enabled) : IUploadHooks
{
    public ConcurrentQueue<UploadEvent> Blocking { get; } = new();

    public ConcurrentQueue<OutboxEntry> Committed { get; } = new();

    public Func<UploadEvent, HookDecision> Decide { get; set; } = _ => HookDecision.Proceed;

    public IReadOnlyCollection<string> ForwardedHeaders { get; set; } = ["Authorization"];

    public TimeSpan PostReceiveInterval { get; set; } = TimeSpan.Zero;

    public TimeSpan RedeliveryDelay => TimeSpan.FromMinutes(1);

    public IReadOnlyList<UploadEvent> Posted => [.. Committed.Select(e => UploadEventJson.Deserialize(e.Payload))];

    public bool IsEnabled(UploadEventType type) => enabled.Contains(type);

    public ValueTask<HookDecision> RunBlockingAsync(UploadEvent uploadEvent, CancellationToken cancellationToken)
    {
        Blocking.Enqueue(uploadEvent);
        return ValueTask.FromResult(Decide(uploadEvent));
    }

    void IUploadHooks.Committed(IReadOnlyList<OutboxEntry> entries)
    {
        foreach (var entry in entries)
        {
            Committed.Enqueue(entry);
        }
    }
}
