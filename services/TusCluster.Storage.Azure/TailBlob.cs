using System.Text.Json.Serialization;

namespace TusCluster.Storage.Azure;

/// <summary>A temporary blob holding committed bytes after the last full block (fewer than a block).</summary>
internal sealed record TailBlob(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("size")] int Size);
