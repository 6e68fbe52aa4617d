using System.Text.Json.Nodes;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>
/// Structural-schema defaulting, as kube-apiserver does it for custom resources: a missing property with a
/// default gets it, then defaulting goes on inside objects (also freshly defaulted ones) and list items.
/// </summary>
internal static class SchemaDefaults
{
    public static void Apply(JsonNode? node, JsonObject? schema)
    {
        if (schema is null) return;
        switch (node)
        {
            case JsonObject obj when schema["properties"] is JsonObject properties:
                foreach (var (name, propertySchema) in properties)
                {
                    if (!obj.ContainsKey(name) && propertySchema?["default"] is { } value) obj[name] = value.DeepClone();
                    if (obj[name] is { } child) Apply(child, propertySchema as JsonObject);
                }

                break;
            case JsonObject map when schema["additionalProperties"] is JsonObject valueSchema:
                foreach (var (_, value) in map.ToList()) Apply(value, valueSchema);
                break;
            case JsonArray list when schema["items"] is JsonObject itemSchema:
                foreach (var item in list) Apply(item, itemSchema);
                break;
        }
    }
}
