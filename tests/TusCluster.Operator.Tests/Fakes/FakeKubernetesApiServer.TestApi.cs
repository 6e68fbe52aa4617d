using System.Text.Json.Nodes;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>What tests do behind the API's back: read objects, and play a user or the kubelet and controllers.</summary>
internal sealed partial class FakeKubernetesApiServer
{
    private const string TusServers = "/apis/tuscluster.io/v1alpha1";

    public JsonObject? Get(string path)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(path, out var obj) ? (JsonObject)obj.DeepClone() : null;
        }
    }

    /// <summary>Creates or replaces an object by its apiVersion, kind, namespace and name, as an admin would.</summary>
    public JsonObject Put(JsonObject obj)
    {
        var resource = _catalog.FindKind((string)obj["apiVersion"]!, (string)obj["kind"]!) ?? throw new InvalidOperationException("Unknown kind.");
        var metadata = obj["metadata"]!;
        var key = Route.KeyOf(resource, (string?)metadata["namespace"], (string)metadata["name"]!);
        lock (_gate)
        {
            var existing = _objects.GetValueOrDefault(key);
            var next = (JsonObject)obj.DeepClone();
            new FieldManager(resource, "test", null).RecordUpdate(existing, next);
            return Commit(key, resource, next);
        }
    }

    public void CreateNamespace(string name) =>
        Put(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } });

    public JsonObject CreateTusServer(string ns, string name, JsonObject spec) => Put(new JsonObject
    {
        ["apiVersion"] = "tuscluster.io/v1alpha1",
        ["kind"] = "TusServer",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = spec,
    });

    /// <summary>Replaces a TusServer's spec, as kubectl apply or kubectl scale would.</summary>
    public void UpdateTusServerSpec(string ns, string name, Action<JsonObject> edit)
    {
        var obj = Get($"{TusServers}/namespaces/{ns}/tusservers/{name}") ?? throw new InvalidOperationException("No such TusServer.");
        edit(obj["spec"]!.AsObject());
        Put(obj);
    }

    /// <summary>Deletes a TusServer as kubectl delete does (background propagation: the garbage collector removes its children).</summary>
    public void DeleteTusServer(string ns, string name)
    {
        lock (_gate) Delete($"{TusServers}/namespaces/{ns}/tusservers/{name}", "Background");
    }

    /// <summary>Plays the Deployment controller: all replicas updated and ready (or <paramref name="ready"/> of them).</summary>
    public void CompleteRollout(string ns, string name, int? ready = null)
    {
        var obj = Get($"/apis/apps/v1/namespaces/{ns}/deployments/{name}") ?? throw new InvalidOperationException($"No Deployment {name}.");
        var count = ready ?? (int?)obj["spec"]?["replicas"] ?? 1;
        SetDeploymentStatus(ns, name, new JsonObject
        {
            ["observedGeneration"] = obj["metadata"]!["generation"]!.DeepClone(),
            ["replicas"] = count,
            ["updatedReplicas"] = count,
            ["readyReplicas"] = count,
            ["availableReplicas"] = count,
        });
    }

    /// <summary>Writes a Deployment's status through its status subresource, as the Deployment controller does.</summary>
    public JsonObject SetDeploymentStatus(string ns, string name, JsonObject status)
    {
        var key = $"/apis/apps/v1/namespaces/{ns}/deployments/{name}";
        var resource = _catalog.Find("/apis/apps/v1", "deployments")!;
        lock (_gate)
        {
            var existing = _objects.GetValueOrDefault(key) ?? throw new InvalidOperationException($"No Deployment {name}.");
            var next = (JsonObject)existing.DeepClone();
            next["status"] = status;
            new FieldManager(resource, "kube-controller-manager", "status").RecordUpdate(existing, next);
            return Commit(key, resource, next);
        }
    }

    /// <summary>Forgets the watch history up to now, as etcd compaction does: older resource versions get 410.</summary>
    public void CompactHistory()
    {
        lock (_gate)
        {
            _history.Clear();
            _compactedThrough = _resourceVersion;
        }
    }
}
