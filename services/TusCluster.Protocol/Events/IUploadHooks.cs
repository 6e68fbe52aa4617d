using TusCluster.Protocol.Coordination;

namespace TusCluster.Protocol.Events;

/// <summary>
/// What the engine calls to tell the application about uploads. The engine builds events and commits
/// post-* events into the coordination outbox with the change they report; the implementation (the
/// hooks project) owns every transport. Without hooks configured, <see cref="NoUploadHooks"/> is used
/// and no event costs anything.
/// </summary>
public interface IUploadHooks
{
    /// <summary>True when at least one receiver wants events of <paramref name="type"/>.</summary>
    bool IsEnabled(UploadEventType type);

    /// <summary>Request headers copied into events (e.g. Authorization); compared case-insensitively.</summary>
    IReadOnlyCollection<string> ForwardedHeaders { get; }

    /// <summary>The least time between two post-receive events of one upload.</summary>
    TimeSpan PostReceiveInterval { get; }

    /// <summary>How long after its commit an undelivered post-* event becomes due for redelivery by any replica.</summary>
    TimeSpan RedeliveryDelay { get; }

    /// <summary>Runs a blocking (pre-*) hook and returns its decision.</summary>
    /// <exception cref="HookUnavailableException">The receiver could not decide; the request must change nothing.</exception>
    ValueTask<HookDecision> RunBlockingAsync(UploadEvent uploadEvent, CancellationToken cancellationToken);

    /// <summary>
    /// The entries were committed: deliver them now, in the background, and delete each once delivered.
    /// Must not block or throw; what is not delivered stays in the outbox for redelivery.
    /// </summary>
    void Committed(IReadOnlyList<OutboxEntry> entries);
}
