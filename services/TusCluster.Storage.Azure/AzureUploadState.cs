using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TusCluster.Storage.Azure;

/// <summary>
/// The store state committed with an upload's record: the committed blocks (as runs, in order) and the
/// tail. Committed bytes are exactly <see cref="Runs"/> (each block <see cref="BlockSize"/> bytes) followed
/// by the <see cref="Tail"/> blob. Blocks staged but not listed here are never committed to the blob.
/// </summary>
internal sealed record AzureUploadState
{
    public static AzureUploadState Empty { get; } = new();

    /// <summary>Bytes per block, fixed by the first chunk so that a configuration change cannot shift committed offsets.</summary>
    [JsonPropertyName("block")]
    public int BlockSize { get; init; }

    [JsonPropertyName("runs")]
    public ImmutableArray<BlockRun> Runs { get; init; } = [];

    [JsonPropertyName("tail")]
    public TailBlob? Tail { get; init; }

    /// <summary>Tail blobs no longer referenced, deleted when this state is settled.</summary>
    [JsonPropertyName("obsolete")]
    public ImmutableArray<string> Obsolete { get; init; } = [];

    [JsonIgnore]
    public int BlockCount => Runs.Sum(run => run.Count);

    [JsonIgnore]
    public long Bytes => ((long)BlockCount * BlockSize) + (Tail?.Size ?? 0);

    /// <summary>The ids of the committed full blocks, in order.</summary>
    public IEnumerable<string> BlockIdsInOrder()
    {
        var index = 0;
        foreach (var run in Runs)
        {
            for (var i = 0; i < run.Count; i++)
            {
                yield return BlockIds.Of(run.Nonce, run.Fence, index++);
            }
        }
    }

    public static AzureUploadState Parse(string? state)
    {
        if (string.IsNullOrEmpty(state))
        {
            return Empty;
        }

        try
        {
            return JsonSerializer.Deserialize(state, AzureStateJsonContext.Default.AzureUploadState)
                ?? throw new InvalidDataException($"Unreadable Azure store state '{state}'.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Unreadable Azure store state '{state}'.", e);
        }
    }

    public string Format() => JsonSerializer.Serialize(this, AzureStateJsonContext.Default.AzureUploadState);
}
