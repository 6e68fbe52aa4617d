using System.Text.Json.Serialization;

namespace TusCluster.Storage.S3;

/// <summary>A temporary object holding committed bytes that do not yet fill a part.</summary>
internal sealed record TailObject(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("size")] long Size);
