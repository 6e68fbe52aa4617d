using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Sinks;

/// <summary>
/// One configured transport to the application (HTTP endpoint, gRPC service, hook directory, AMQP
/// exchange), with the event types it was configured for.
/// </summary>
internal interface IHookSink
{
    /// <summary>Short name for logs and metrics: "http", "grpc", "file", "amqp".</summary>
    string Name { get; }

    /// <summary>False for a transport that cannot answer (AMQP): it may only take post-* events.</summary>
    bool CanDecide { get; }

    bool Handles(UploadEventType type);

    /// <summary>Request headers this sink copies onto its own calls; the engine must capture them in events.</summary>
    IEnumerable<string> HeadersNeeded => [];

    /// <summary>
    /// Delivers the event and, for a blocking event, returns the receiver's decision
    /// (<see cref="HookDecision.Proceed"/> for post-* events and for transports that cannot answer).
    /// Retries and time limits are the sink's own.
    /// </summary>
    /// <exception cref="HookUnavailableException">The receiver could not be reached, failed or timed out.</exception>
    ValueTask<HookDecision> InvokeAsync(UploadEvent uploadEvent, CancellationToken cancellationToken);
}
