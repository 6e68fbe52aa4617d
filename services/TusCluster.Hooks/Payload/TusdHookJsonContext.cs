using System.Text.Json.Serialization;

namespace TusCluster.Hooks.Payload;

// Reading is case-insensitive like Go's encoding/json (a receiver answering "rejectUpload" works with tusd),
// unknown fields are skipped, and comments or trailing commas are refused as Go refuses them.
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(TusdHookRequest))]
[JsonSerializable(typeof(TusdHookResponse))]
internal sealed partial class TusdHookJsonContext : JsonSerializerContext;
