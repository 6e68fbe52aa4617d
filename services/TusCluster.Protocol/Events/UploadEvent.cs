namespace TusCluster.Protocol.Events;

/// <summary>
/// One lifecycle event as the engine raises it: what happened, to which upload, in reply to which
/// request, on which replica. Sinks turn it into their wire format (tusd's hook request).
/// </summary>
public sealed record UploadEvent
{
    /// <summary>Unique per event (32 lowercase hex characters); the same on every redelivery, so receivers can dedupe.</summary>
    public required string Id { get; init; }

    public required UploadEventType Type { get; init; }

    /// <summary>The replica (pod) that raised the event.</summary>
    public required string Replica { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required UploadSnapshot Upload { get; init; }

    public required RequestSnapshot HttpRequest { get; init; }
}
