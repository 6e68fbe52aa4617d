using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace TusCluster.Protocol.Uploads;

/// <summary>
/// The authoritative state of one upload, kept by the coordination backend and changed only by a
/// compare-and-set guarded by the writer's fencing token. Stores never derive offsets on their own.
/// </summary>
public sealed record UploadRecord
{
    public required string Id { get; init; }

    /// <summary>Total size in bytes, or null while the length is deferred.</summary>
    public long? Length { get; init; }

    /// <summary>Bytes committed so far. Only ever grows.</summary>
    public long Offset { get; init; }

    /// <summary>The Upload-Metadata header exactly as the client sent it (already validated).</summary>
    public string? Metadata { get; init; }

    public UploadKind Kind { get; init; } = UploadKind.Regular;

    /// <summary>
    /// The protocol that created the upload. Left out of the JSON for tus uploads, so their records stay
    /// byte for byte what they were before the draft existed (and older records read back as tus).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public UploadProtocol Protocol { get; init; } = UploadProtocol.Tus;

    /// <summary>For a final upload: the ids of its partial uploads, in order.</summary>
    public ImmutableArray<string> PartialIds { get; init; } = [];

    public UploadStatus Status { get; init; } = UploadStatus.Active;

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When an unfinished upload stops being resumable; null when it never expires.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The fencing token of the writer that made this version.</summary>
    public long Fence { get; init; }

    /// <summary>When the last post-receive event was raised; throttles them per upload across replicas.</summary>
    public DateTimeOffset? ReceiveReportedAt { get; init; }

    /// <summary>Store-private state (e.g. a pending segment, a multipart upload id and part list).</summary>
    public string? StoreState { get; init; }

    /// <summary>All bytes have been received (the store may still have to finish the object).</summary>
    [JsonIgnore]
    public bool IsComplete => Length is { } length && Offset == length;

    public bool IsExpiredAt(DateTimeOffset now) =>
        Status == UploadStatus.Active && ExpiresAt is { } expires && expires <= now;
}
