using System.Text.Json.Serialization;

namespace TusCluster.Storage.Gcs;

/// <summary>A finished upload's object: its generation (reads are pinned to it) and GCS component count.</summary>
internal sealed record FinalObject(
    [property: JsonPropertyName("g")] long Generation,
    [property: JsonPropertyName("c")] int Components);
