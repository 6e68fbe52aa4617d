using System.Text.Json.Serialization;

namespace TusCluster.Storage.Gcs;

[JsonSerializable(typeof(GcsUploadState))]
internal sealed partial class GcsStateJsonContext : JsonSerializerContext;
