using System.Text.Json.Serialization;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.DynamoDb;

[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UploadRecord))]
internal sealed partial class RecordJsonContext : JsonSerializerContext;
