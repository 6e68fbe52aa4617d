using System.Text.Json.Serialization;

namespace TusCluster.Storage.Azure;

[JsonSerializable(typeof(AzureUploadState))]
internal sealed partial class AzureStateJsonContext : JsonSerializerContext;
