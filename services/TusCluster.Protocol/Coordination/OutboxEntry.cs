namespace TusCluster.Protocol.Coordination;

/// <summary>
/// One undelivered event, kept by the coordination backend next to the upload records. It is written in
/// the same compare-and-set as the record change it reports, so a replica that dies before delivering
/// it loses nothing: whoever reads it once it is due delivers it again.
/// </summary>
public sealed record OutboxEntry
{
    /// <summary>The most bytes a payload may have; every backend stores at least this much per key or item.</summary>
    public const int MaxPayloadBytes = 64 * 1024;

    /// <summary>The most entries one commit may carry (the engine raises at most four); keeps every backend's atomic step small.</summary>
    public const int MaxPerCommit = 16;

    /// <summary>Unique per entry: 32 lowercase hex characters (128 random bits), safe in any key.</summary>
    public required string Id { get; init; }

    /// <summary>The upload the event is about.</summary>
    public required string UploadId { get; init; }

    /// <summary>When the entry is due for (re)delivery if it is still there.</summary>
    public required DateTimeOffset DueAt { get; init; }

    /// <summary>Delivery attempts that failed so far.</summary>
    public int Attempts { get; init; }

    /// <summary>What to deliver, opaque to the backend (UTF-8 JSON, at most <see cref="MaxPayloadBytes"/>).</summary>
    public required string Payload { get; init; }
}
