using System.Text.Json.Serialization;

namespace TusCluster.Protocol.Events;

[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UploadEvent))]
internal sealed partial class UploadEventJsonContext : JsonSerializerContext;
