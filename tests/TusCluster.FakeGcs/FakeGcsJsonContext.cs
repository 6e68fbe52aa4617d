using System.Text.Json.Serialization;

namespace TusCluster.FakeGcs;

[JsonSerializable(typeof(StoredObject))]
internal sealed partial class FakeGcsJsonContext : JsonSerializerContext;
