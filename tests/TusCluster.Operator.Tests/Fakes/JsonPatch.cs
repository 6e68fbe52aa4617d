using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>RFC 6902 JSON patch (add, remove, replace, move, copy, test) over RFC 6901 pointers.</summary>
internal static class JsonPatch
{
    /// <summary>The patched document, or null when an operation does not apply (a failed test, a missing path).</summary>
    public static JsonNode? Apply(JsonNode document, JsonArray operations)
    {
        var root = new JsonObject { ["doc"] = document.DeepClone() };
        foreach (var operation in operations.OfType<JsonObject>())
        {
            var path = "/doc" + (string?)operation["path"];
            var ok = (string?)operation["op"] switch
            {
                "add" => Add(root, path, operation["value"]?.DeepClone()),
                "remove" => Remove(root, path) is not null,
                "replace" => Remove(root, path) is not null && Add(root, path, operation["value"]?.DeepClone()),
                "move" => Remove(root, "/doc" + (string?)operation["from"]) is { } moved && Add(root, path, moved.Value),
                "copy" => Find(root, "/doc" + (string?)operation["from"]) is { } copied && Add(root, path, copied.DeepClone()),
                "test" => JsonNode.DeepEquals(Find(root, path), operation["value"]),
                _ => false,
            };
            if (!ok) return null;
        }

        return root["doc"];
    }

    private static (JsonNode? Parent, string Last) Split(JsonNode root, string pointer)
    {
        var tokens = pointer.Split('/')[1..].Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        JsonNode? node = root;
        foreach (var token in tokens[..^1]) node = Child(node, token);
        return (node, tokens[^1]);
    }

    private static JsonNode? Child(JsonNode? node, string token) => node switch
    {
        JsonObject o => o[token],
        JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
        _ => null,
    };

    private static JsonNode? Find(JsonNode root, string pointer)
    {
        var (parent, last) = Split(root, pointer);
        return Child(parent, last);
    }

    private static bool Add(JsonNode root, string pointer, JsonNode? value)
    {
        var (parent, last) = Split(root, pointer);
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                return true;
            case JsonArray a when last == "-":
                a.Add(value);
                return true;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                return true;
            default:
                return false;
        }
    }

    private static StrongBox<JsonNode?>? Remove(JsonNode root, string pointer)
    {
        var (parent, last) = Split(root, pointer);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                var value = o[last];
                o.Remove(last);
                return new StrongBox<JsonNode?>(value);
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                var item = a[i];
                a.RemoveAt(i);
                return new StrongBox<JsonNode?>(item);
            default:
                return null;
        }
    }
}
