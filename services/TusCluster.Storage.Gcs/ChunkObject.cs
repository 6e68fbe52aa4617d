using System.Text.Json.Serialization;

namespace TusCluster.Storage.Gcs;

/// <summary>A committed chunk object, pinned to the generation that was written (objects are never replaced).</summary>
internal sealed record ChunkObject(
    [property: JsonPropertyName("n")] string Name,
    [property: JsonPropertyName("g")] long Generation,
    [property: JsonPropertyName("s")] long Size);
