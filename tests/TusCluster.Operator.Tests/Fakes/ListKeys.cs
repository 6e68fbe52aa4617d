using System.Text.Json.Nodes;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>
/// Which lists of built-in kinds merge item by item, and by which key (the patchMergeKey / listMapKeys of the
/// Kubernetes API types); every other list, and every list of a custom resource, is atomic.
/// </summary>
internal static class ListKeys
{
    public static string[]? Of(string field, JsonArray list, bool builtIn)
    {
        if (field == "ownerReferences") return ["uid"];
        if (!builtIn) return null;
        string[]? keys = field switch
        {
            "containers" or "initContainers" or "ephemeralContainers" or "env" or "volumes" or "imagePullSecrets" => ["name"],
            "volumeMounts" => ["mountPath"],
            "ports" => list.OfType<JsonObject>().Any(i => i["containerPort"] is not null) ? ["containerPort"] : ["port"],
            "topologySpreadConstraints" => ["topologyKey", "whenUnsatisfiable"],
            "conditions" => ["type"],
            "hostAliases" => ["ip"],
            _ => null,
        };
        return keys is not null && list.All(i => i is JsonObject o && o[keys[0]] is not null) ? keys : null;
    }

    /// <summary>The item's key as the fieldsV1 "k:" segment writes it: {"name":"tus"}.</summary>
    public static string KeyOf(JsonObject item, string[] keys)
    {
        var key = new JsonObject();
        foreach (var k in keys.Order(StringComparer.Ordinal))
        {
            if (item[k] is { } value) key[k] = value.DeepClone();
        }

        return key.ToJsonString();
    }

    public static JsonObject? Find(JsonArray list, string[] keys, string key) =>
        list.OfType<JsonObject>().FirstOrDefault(i => KeyOf(i, keys) == key);
}
