using System.Text.Json;

namespace TusCluster.FakeGcs;

/// <summary>The writable fields of an object resource in a request body (upload, patch, compose destination).</summary>
internal sealed record ObjectResource(string? Name, string? ContentType, Dictionary<string, string>? Metadata)
{
    public static ObjectResource From(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return new ObjectResource(null, null, null);
        }

        var name = json.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        var contentType = json.TryGetProperty("contentType", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        Dictionary<string, string>? metadata = null;
        if (json.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object)
        {
            metadata = m.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
        }

        return new ObjectResource(name, contentType, metadata);
    }
}
