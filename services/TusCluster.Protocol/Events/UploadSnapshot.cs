namespace TusCluster.Protocol.Events;

/// <summary>The upload as an event reports it; the fields of tusd's FileInfo.</summary>
public sealed record UploadSnapshot
{
    /// <summary>Empty in pre-create: the upload has no id yet.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>Total size in bytes; null while the length is deferred.</summary>
    public long? Size { get; init; }

    public bool SizeIsDeferred { get; init; }

    public long Offset { get; init; }

    /// <summary>Upload-Metadata decoded: key to UTF-8 value (a key without value maps to "").</summary>
    public IReadOnlyDictionary<string, string> MetaData { get; init; } = new Dictionary<string, string>();

    public bool IsPartial { get; init; }

    public bool IsFinal { get; init; }

    /// <summary>For a final upload: the ids of its partial uploads, in order; otherwise null.</summary>
    public IReadOnlyList<string>? PartialUploads { get; init; }

    /// <summary>Where the store keeps the bytes (e.g. Type, Path or Bucket, Key); null in pre-create.</summary>
    public IReadOnlyDictionary<string, string>? Storage { get; init; }
}
