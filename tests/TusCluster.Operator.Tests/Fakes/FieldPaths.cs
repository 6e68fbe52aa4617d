using System.Text.Json.Nodes;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>
/// The fields of an object as server-side apply tracks them: one path per leaf, written in fieldsV1 segments
/// ("f:spec", "k:{\"name\":\"tus\"}") joined by newlines; an item of a keyed list is a path of its own (".").
/// Metadata counts only for labels, annotations, ownerReferences and finalizers.
/// </summary>
internal static class FieldPaths
{
    private const char Separator = '\n';

    public static HashSet<string> Of(JsonObject obj, bool builtIn, Func<string, bool> includeTop)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in obj)
        {
            if (name is "apiVersion" or "kind" || !includeTop(name)) continue;
            if (name == "metadata" && value is JsonObject metadata)
            {
                foreach (var (field, child) in metadata)
                {
                    if (field is "labels" or "annotations" or "ownerReferences" or "finalizers") Walk(child, $"f:metadata{Separator}f:{field}", field, builtIn, paths);
                }
            }
            else
            {
                Walk(value, "f:" + name, name, builtIn, paths);
            }
        }

        return paths;
    }

    private static void Walk(JsonNode? node, string path, string field, bool builtIn, HashSet<string> paths)
    {
        switch (node)
        {
            case JsonObject o when o.Count > 0:
                foreach (var (name, value) in o) Walk(value, path + Separator + "f:" + name, name, builtIn, paths);
                break;
            case JsonArray a when a.Count > 0 && ListKeys.Of(field, a, builtIn) is { } keys:
                foreach (var item in a.OfType<JsonObject>())
                {
                    var itemPath = path + Separator + "k:" + ListKeys.KeyOf(item, keys);
                    paths.Add(itemPath);
                    foreach (var (name, value) in item) Walk(value, itemPath + Separator + "f:" + name, name, builtIn, paths);
                }

                break;
            default:
                paths.Add(path);
                break;
        }
    }

    /// <summary>The value at a path, or null when it is not there.</summary>
    public static JsonNode? Resolve(JsonNode? root, string path)
    {
        var node = root;
        foreach (var segment in path.Split(Separator)) node = Step(node, segment);
        return node;
    }

    /// <summary>Removes the field (or list item) at a path, if it is there.</summary>
    public static void Remove(JsonNode root, string path)
    {
        var segments = path.Split(Separator);
        var parent = root;
        foreach (var segment in segments[..^1]) parent = Step(parent, segment);
        var last = segments[^1];
        if (parent is JsonObject o && last.StartsWith("f:", StringComparison.Ordinal)) o.Remove(last[2..]);
        else if (parent is JsonArray a && Step(a, last) is { } item) a.Remove(item);
    }

    private static JsonNode? Step(JsonNode? node, string segment) => node switch
    {
        JsonObject o when segment.StartsWith("f:", StringComparison.Ordinal) => o[segment[2..]],
        JsonArray a when segment.StartsWith("k:", StringComparison.Ordinal) =>
            a.OfType<JsonObject>().FirstOrDefault(i => JsonNode.DeepEquals(JsonNode.Parse(segment[2..]), Project(i, segment[2..]))),
        _ => null,
    };

    private static JsonObject Project(JsonObject item, string key)
    {
        var keys = JsonNode.Parse(key)!.AsObject().Select(p => p.Key);
        var projected = new JsonObject();
        foreach (var k in keys) projected[k] = item[k]?.DeepClone();
        return projected;
    }

    /// <summary>The fieldsV1 tree of a set of paths, as metadata.managedFields shows it.</summary>
    public static JsonObject Encode(IEnumerable<string> paths)
    {
        var root = new JsonObject();
        var all = paths.ToList();
        foreach (var path in all)
        {
            var node = root;
            foreach (var segment in path.Split(Separator))
            {
                if (node[segment] is not JsonObject child) node[segment] = child = [];
                node = child;
            }
        }

        foreach (var path in all.Where(p => all.Any(o => o.StartsWith(p + Separator, StringComparison.Ordinal))))
        {
            JsonNode node = root;
            foreach (var segment in path.Split(Separator)) node = node[segment]!;
            node["."] = new JsonObject();
        }

        return root;
    }

    public static HashSet<string> Decode(JsonObject? fieldsV1)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        void Visit(JsonObject node, string? path)
        {
            foreach (var (name, child) in node)
            {
                if (name == "." && path is not null) paths.Add(path);
                else if (child is JsonObject { Count: > 0 } inner) Visit(inner, path is null ? name : path + Separator + name);
                else if (name != ".") paths.Add(path is null ? name : path + Separator + name);
            }
        }

        if (fieldsV1 is not null) Visit(fieldsV1, null);
        return paths;
    }

    /// <summary>How a conflict names a path: .spec.template.spec.containers[name="tus"].image.</summary>
    public static string Display(string path) => string.Concat(path.Split(Separator).Select(s =>
        s.StartsWith("f:", StringComparison.Ordinal) ? "." + s[2..] : "[" + string.Join(",", JsonNode.Parse(s[2..])!.AsObject().Select(p => $"{p.Key}={p.Value!.ToJsonString()}")) + "]"));
}
