using System.Text.Json.Serialization;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination;

[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UploadRecord))]
internal sealed partial class UploadRecordJsonContext : JsonSerializerContext;
