using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TusCluster.Storage.Gcs;

/// <summary>
/// The store state committed with an upload's record. Committed bytes are exactly the committed
/// <see cref="Chunks"/> in order; every chunk but the last holds at least the component size, so an
/// upload never needs more than GCS's 1024 components. Nothing is derived from listings.
/// </summary>
internal sealed record GcsUploadState
{
    public static GcsUploadState Empty { get; } = new();

    [JsonPropertyName("chunks")]
    public ImmutableArray<ChunkObject> Chunks { get; init; } = [];

    /// <summary>Chunk objects a committed chunk took over (merged into its own object), deleted when this state is settled.</summary>
    [JsonPropertyName("obsolete")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ImmutableArray<ChunkObject> Obsolete { get; init; } = [];

    /// <summary>Set once the upload's final object exists (finished uploads, concatenations).</summary>
    [JsonPropertyName("final")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FinalObject? Final { get; init; }

    public long Size => Chunks.Sum(c => c.Size);

    public static GcsUploadState Parse(string? state)
    {
        if (string.IsNullOrEmpty(state))
        {
            return Empty;
        }

        try
        {
            return JsonSerializer.Deserialize(state, GcsStateJsonContext.Default.GcsUploadState)
                ?? throw new InvalidDataException($"Unreadable GCS store state '{state}'.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Unreadable GCS store state '{state}'.", e);
        }
    }

    public string Format() => JsonSerializer.Serialize(this, GcsStateJsonContext.Default.GcsUploadState);
}
