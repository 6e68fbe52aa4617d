using System.Text.Json.Serialization;

namespace TusCluster.Storage.S3;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(S3UploadState))]
internal sealed partial class S3StateJsonContext : JsonSerializerContext;
