using System.Text.Json.Serialization;

namespace TusCluster.Storage.S3;

/// <summary>A part of the multipart upload whose bytes are committed.</summary>
internal sealed record CommittedPart(
    [property: JsonPropertyName("n")] int Number,
    [property: JsonPropertyName("e")] string ETag,
    [property: JsonPropertyName("s")] long Size);
