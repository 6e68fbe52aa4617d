using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TusCluster.Storage.S3;

/// <summary>
/// The store state committed with an upload's record. Committed bytes are exactly the committed
/// <see cref="Parts"/> followed by the <see cref="Tail"/> object. Part numbers below
/// <see cref="NextPart"/> are spent (committed, or reserved by a writer that may still be uploading)
/// and are never used again.
/// </summary>
internal sealed record S3UploadState
{
    // ETags are quoted strings: escaping their quotes as \u0022 would add 10 bytes per part to every
    // commit. The state is never embedded in HTML, so the relaxed encoder is safe here.
    private static readonly S3StateJsonContext Json = new(new JsonSerializerOptions(S3StateJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static S3UploadState Empty { get; } = new();

    /// <summary>The multipart upload's id; null until the first full part.</summary>
    [JsonPropertyName("upload")]
    public string? MultipartUploadId { get; init; }

    [JsonPropertyName("parts")]
    public ImmutableArray<CommittedPart> Parts { get; init; } = [];

    [JsonPropertyName("next")]
    public int NextPart { get; init; } = 1;

    /// <summary>Committed bytes after the last part, fewer than a part, in a temporary object.</summary>
    [JsonPropertyName("tail")]
    public TailObject? Tail { get; init; }

    /// <summary>Temporary objects no longer referenced, deleted when this state is settled.</summary>
    [JsonPropertyName("obsolete")]
    public ImmutableArray<string> Obsolete { get; init; } = [];

    /// <summary>
    /// The multipart upload was created by a writer of a brand-new upload and reached coordination only
    /// with this state: if this state is discarded, so is the multipart upload.
    /// </summary>
    [JsonPropertyName("created")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool CreatedWithChunk { get; init; }

    public static S3UploadState Parse(string? state)
    {
        if (string.IsNullOrEmpty(state))
        {
            return Empty;
        }

        try
        {
            return JsonSerializer.Deserialize(state, Json.S3UploadState)
                ?? throw new InvalidDataException($"Unreadable S3 store state '{state}'.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Unreadable S3 store state '{state}'.", e);
        }
    }

    public string Format() => JsonSerializer.Serialize(this, Json.S3UploadState);
}
