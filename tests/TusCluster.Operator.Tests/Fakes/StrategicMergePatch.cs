using System.Text.Json.Nodes;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>
/// The part of strategic merge patch that kubectl's client-side apply, edit and patch send: maps merge, null
/// deletes, lists with a merge key merge item by item ($patch: delete removes one), $patch: replace replaces,
/// $retainKeys keeps only the listed fields, $deleteFromPrimitiveList removes values; $setElementOrder is
/// accepted and ignored (item order is not kept).
/// </summary>
internal static class StrategicMergePatch
{
    public static JsonObject Apply(JsonObject target, JsonObject patch) => Merge((JsonObject)target.DeepClone(), patch);

    private static JsonObject Merge(JsonObject target, JsonObject patch)
    {
        if ((string?)patch["$patch"] == "replace")
        {
            var replaced = (JsonObject)patch.DeepClone();
            replaced.Remove("$patch");
            return replaced;
        }

        foreach (var (name, value) in patch)
        {
            if (name.StartsWith("$setElementOrder/", StringComparison.Ordinal) || name is "$patch" or "$retainKeys") continue;
            if (name.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var field = name["$deleteFromPrimitiveList/".Length..];
                if (target[field] is JsonArray values && value is JsonArray remove)
                {
                    foreach (var item in values.Where(v => remove.Any(r => JsonNode.DeepEquals(r, v))).ToList()) values.Remove(item);
                }

                continue;
            }

            if (value is null) target.Remove(name);
            else if (value is JsonObject { } child && (string?)child["$patch"] == "delete") target.Remove(name);
            else if (value is JsonObject childPatch && target[name] is JsonObject existing) target[name] = Merge(existing, childPatch);
            else if (value is JsonObject newChild) target[name] = Merge([], newChild);
            else if (value is JsonArray list && target[name] is JsonArray current && ListKeys.Of(name, list, builtIn: true) is { } keys
                     && ListKeys.Of(name, current, builtIn: true) is not null) target[name] = MergeList(current, list, keys);
            else target[name] = Clean(value.DeepClone());
        }

        if (patch["$retainKeys"] is JsonArray retain)
        {
            foreach (var name in target.Select(p => p.Key).Where(k => !retain.Any(r => (string?)r == k)).ToList()) target.Remove(name);
        }

        return target;
    }

    private static JsonArray MergeList(JsonArray current, JsonArray patch, string[] keys)
    {
        var result = (JsonArray)current.DeepClone();
        foreach (var item in patch.OfType<JsonObject>())
        {
            var existing = ListKeys.Find(result, keys, ListKeys.KeyOf(item, keys));
            if ((string?)item["$patch"] == "delete")
            {
                if (existing is not null) result.Remove(existing);
            }
            else if (existing is not null)
            {
                var index = result.IndexOf(existing);
                result[index] = Merge((JsonObject)existing.DeepClone(), item);
            }
            else
            {
                result.Add(Merge([], item));
            }
        }

        return result;
    }

    private static JsonNode? Clean(JsonNode? node) => node is JsonObject o ? Merge([], o) : node;
}
