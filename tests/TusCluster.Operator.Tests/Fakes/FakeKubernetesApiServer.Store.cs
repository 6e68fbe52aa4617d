using System.Globalization;
using System.Text.Json.Nodes;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>
/// The object store: resource versions, uids, generations, defaults, the watch history, and deletion with the
/// garbage collector's part (dependents go with their last owner, a CRD takes its objects, a namespace its contents,
/// and an object written with owners that are all gone goes at once).
/// </summary>
internal sealed partial class FakeKubernetesApiServer
{
    private const int HistoryLimit = 10_000;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly List<(long Version, string Collection, WatchLine Line)> _history = [];
    private readonly List<Action> _watchWakeups = [];
    private long _resourceVersion = 100;
    private long _compactedThrough = 100;

    /// <summary>Stores the object's next state (caller holds the gate); a write that changes nothing is no write, as in etcd.</summary>
    private JsonObject Commit(string key, ApiResource resource, JsonObject obj)
    {
        var existing = _objects.GetValueOrDefault(key);
        if (!resource.IsCustom && resource.Scale is not null && obj["spec"] is JsonObject spec && spec["replicas"] is null) spec["replicas"] = 1;
        SchemaDefaults.Apply(obj, resource.Schema);
        var metadata = obj["metadata"]!.AsObject();
        metadata["uid"] = existing?["metadata"]?["uid"]?.DeepClone() ?? Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = existing?["metadata"]?["creationTimestamp"]?.DeepClone() ?? DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var generation = (long?)existing?["metadata"]?["generation"] ?? 0;
        metadata["generation"] = existing is null || SpecChanged(existing, obj) ? generation + 1 : generation;
        if (resource.Plural == "customresourcedefinitions") obj["status"] = CrdStatus(obj);
        if (existing is not null && Unchanged(existing, obj)) return (JsonObject)existing.DeepClone();

        var version = ++_resourceVersion;
        metadata["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture);
        _objects[key] = (JsonObject)obj.DeepClone();
        Record(key, existing is null ? "ADDED" : "MODIFIED", obj, version);
        if (resource.Plural == "customresourcedefinitions") _catalog.Define(obj);
        if (OwnersAllGone(obj))
        {
            // Written after its owner was deleted (a reconcile that read the owner just before): the garbage
            // collector removes it as it would any dependent whose owners no longer exist.
            Delete(key, "Background");
        }

        return (JsonObject)obj.DeepClone();
    }

    private bool OwnersAllGone(JsonObject obj) =>
        obj["metadata"]?["ownerReferences"] is JsonArray { Count: > 0 } owners
        && owners.All(o => !_objects.Values.Any(x => (string?)x["metadata"]!["uid"] == (string?)o?["uid"]));

    /// <summary>Deletes an object and lets the garbage collector act on what it owned (caller holds the gate).</summary>
    private JsonObject? Delete(string key, string propagation)
    {
        if (!_objects.Remove(key, out var existing)) return null;
        var version = ++_resourceVersion;
        existing["metadata"]!["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture);
        Record(key, "DELETED", existing, version);
        var uid = (string?)existing["metadata"]!["uid"];
        var name = (string)existing["metadata"]!["name"]!;
        if (key.StartsWith("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/", StringComparison.Ordinal))
        {
            var served = _catalog.All.Where(r => r.DefinedBy == name).ToList();
            _catalog.Forget(name);
            foreach (var child in _objects.Keys.Where(k => served.Any(r => k.StartsWith(r.Root + "/", StringComparison.Ordinal) && k.Contains("/" + r.Plural + "/", StringComparison.Ordinal))).ToList())
            {
                Delete(child, "Background");
            }
        }

        if (key.StartsWith("/api/v1/namespaces/", StringComparison.Ordinal) && key.Count(c => c == '/') == 4)
        {
            foreach (var child in _objects.Keys.Where(k => k.Contains($"/namespaces/{name}/", StringComparison.Ordinal)).ToList()) Delete(child, "Background");
        }

        foreach (var (dependentKey, dependent) in _objects.Where(p => OwnedBy(p.Value, uid)).ToList())
        {
            var owners = (JsonArray)dependent["metadata"]!["ownerReferences"]!;
            var remaining = owners.OfType<JsonObject>().Where(o => (string?)o["uid"] != uid && _objects.Values.Any(x => (string?)x["metadata"]!["uid"] == (string?)o["uid"])).ToList();
            if (propagation == "Orphan" || remaining.Count > 0)
            {
                var next = (JsonObject)dependent.DeepClone();
                next["metadata"]!["ownerReferences"] = new JsonArray(owners.OfType<JsonObject>().Where(o => (string?)o["uid"] != uid).Select(o => (JsonNode)o.DeepClone()).ToArray());
                var resource = _catalog.All.First(r => dependentKey.StartsWith(r.Root + "/", StringComparison.Ordinal) && dependentKey.Contains("/" + r.Plural + "/", StringComparison.Ordinal));
                Commit(dependentKey, resource, next);
            }
            else
            {
                Delete(dependentKey, "Background");
            }
        }

        return existing;
    }

    private static bool OwnedBy(JsonObject obj, string? uid) =>
        uid is not null && obj["metadata"]?["ownerReferences"] is JsonArray owners && owners.Any(o => (string?)o?["uid"] == uid);

    private static bool SpecChanged(JsonObject before, JsonObject after) =>
        before.Select(p => p.Key).Union(after.Select(p => p.Key))
            .Where(k => k is not ("metadata" or "status" or "apiVersion" or "kind"))
            .Any(k => !JsonNode.DeepEquals(before[k], after[k]));

    private static bool Unchanged(JsonObject before, JsonObject after)
    {
        static JsonObject Comparable(JsonObject obj)
        {
            var copy = (JsonObject)obj.DeepClone();
            copy["metadata"]!.AsObject().Remove("resourceVersion");
            foreach (var entry in (copy["metadata"]!["managedFields"] as JsonArray ?? []).OfType<JsonObject>()) entry.Remove("time");
            return copy;
        }

        return JsonNode.DeepEquals(Comparable(before), Comparable(after));
    }

    private static JsonObject CrdStatus(JsonObject crd) => new()
    {
        ["acceptedNames"] = crd["spec"]?["names"]?.DeepClone(),
        ["conditions"] = new JsonArray(
            new JsonObject { ["type"] = "NamesAccepted", ["status"] = "True", ["reason"] = "NoConflicts", ["message"] = "no conflicts found" },
            new JsonObject { ["type"] = "Established", ["status"] = "True", ["reason"] = "InitialNamesAccepted", ["message"] = "the initial names have been accepted" }),
        ["storedVersions"] = new JsonArray((crd["spec"]?["versions"] as JsonArray ?? []).OfType<JsonObject>().Where(v => (bool?)v["storage"] == true).Select(v => (JsonNode)(string)v["name"]!).ToArray()),
    };

    private void Record(string path, string type, JsonObject obj, long version)
    {
        var collection = path[..path.LastIndexOf('/')];
        _history.Add((version, collection, new WatchLine(type, (JsonObject)obj.DeepClone())));
        if (_history.Count > HistoryLimit)
        {
            _compactedThrough = _history[0].Version;
            _history.RemoveAt(0);
        }

        foreach (var wake in _watchWakeups) wake();
    }

    private sealed record WatchLine(string Type, JsonObject Object);
}
