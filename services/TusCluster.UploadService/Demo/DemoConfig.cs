using System.Text.Json.Serialization;

namespace TusCluster.UploadService.Demo;

/// <summary>What the page needs to know: the tus endpoint (Tus:BasePath).</summary>
internal sealed record DemoConfig([property: JsonPropertyName("endpoint")] string Endpoint);

[JsonSerializable(typeof(DemoConfig))]
internal sealed partial class DemoJsonContext : JsonSerializerContext;
