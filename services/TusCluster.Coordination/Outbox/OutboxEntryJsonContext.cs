using System.Text.Json.Serialization;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Outbox;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(OutboxEntry))]
internal sealed partial class OutboxEntryJsonContext : JsonSerializerContext;
