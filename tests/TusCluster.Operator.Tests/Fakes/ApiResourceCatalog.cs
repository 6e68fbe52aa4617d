using System.Text.Json.Nodes;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>The resources the fake serves: a fixed set of built-ins plus those of the CRDs stored in it.</summary>
internal sealed class ApiResourceCatalog
{
    private static readonly ScaleSubresource ReplicaScale = new(".spec.replicas", ".status.replicas", ".status.selector");
    private readonly Lock _gate = new();
    private readonly List<ApiResource> _resources =
    [
        new("", "v1", "namespaces", "namespace", "Namespace", false) { ShortNames = ["ns"], HasStatus = true },
        new("", "v1", "configmaps", "configmap", "ConfigMap", true) { ShortNames = ["cm"] },
        new("", "v1", "secrets", "secret", "Secret", true),
        new("", "v1", "services", "service", "Service", true) { ShortNames = ["svc"], HasStatus = true, Categories = ["all"] },
        new("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true) { ShortNames = ["sa"] },
        new("", "v1", "pods", "pod", "Pod", true) { ShortNames = ["po"], HasStatus = true, Categories = ["all"] },
        new("", "v1", "persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", true) { ShortNames = ["pvc"], HasStatus = true },
        new("", "v1", "events", "event", "Event", true) { ShortNames = ["ev"] },
        new("apps", "v1", "deployments", "deployment", "Deployment", true) { ShortNames = ["deploy"], HasStatus = true, Scale = ReplicaScale, Categories = ["all"] },
        new("apps", "v1", "statefulsets", "statefulset", "StatefulSet", true) { ShortNames = ["sts"], HasStatus = true, Scale = ReplicaScale, Categories = ["all"] },
        new("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true) { ShortNames = ["pdb"], HasStatus = true },
        new("autoscaling", "v2", "horizontalpodautoscalers", "horizontalpodautoscaler", "HorizontalPodAutoscaler", true) { ShortNames = ["hpa"], HasStatus = true, Categories = ["all"] },
        new("coordination.k8s.io", "v1", "leases", "lease", "Lease", true),
        new("rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", "ClusterRole", false),
        new("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false),
        new("rbac.authorization.k8s.io", "v1", "roles", "role", "Role", true),
        new("rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", "RoleBinding", true),
        new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition", false) { ShortNames = ["crd", "crds"], HasStatus = true },
    ];

    public IReadOnlyList<ApiResource> All
    {
        get { lock (_gate) return [.. _resources]; }
    }

    public ApiResource? Find(string root, string plural)
    {
        lock (_gate) return _resources.FirstOrDefault(r => r.Root == root && r.Plural == plural);
    }

    public ApiResource? FindKind(string apiVersion, string kind)
    {
        lock (_gate) return _resources.FirstOrDefault(r => r.GroupVersion == apiVersion && r.Kind == kind);
    }

    /// <summary>Serves every served version of a CRD (replacing what an earlier version of it served).</summary>
    public IReadOnlyList<ApiResource> Define(JsonObject crd)
    {
        var crdName = (string)crd["metadata"]!["name"]!;
        var spec = crd["spec"]!;
        var names = spec["names"]!;
        var defined = (spec["versions"] as JsonArray ?? []).OfType<JsonObject>().Where(v => (bool?)v["served"] ?? true).Select(v => new ApiResource(
                (string)spec["group"]!, (string)v["name"]!, (string)names["plural"]!, (string?)names["singular"] ?? ((string)names["kind"]!).ToLowerInvariant(),
                (string)names["kind"]!, (string?)spec["scope"] != "Cluster")
            {
                ShortNames = Strings(names["shortNames"]),
                Categories = Strings(names["categories"]),
                HasStatus = v["subresources"]?["status"] is not null,
                Scale = v["subresources"]?["scale"] is JsonObject scale
                    ? new ScaleSubresource((string)scale["specReplicasPath"]!, (string)scale["statusReplicasPath"]!, (string?)scale["labelSelectorPath"])
                    : null,
                PrinterColumns = (JsonArray?)v["additionalPrinterColumns"]?.DeepClone() ?? [],
                // Re-parsed so that defaults are plain JSON values, as if read from the wire (a YAML-built CRD holds longs).
                Schema = v["schema"]?["openAPIV3Schema"] is { } schema ? JsonNode.Parse(schema.ToJsonString()) as JsonObject : null,
                DefinedBy = crdName,
            })
            .ToList();
        lock (_gate)
        {
            _resources.RemoveAll(r => r.DefinedBy == crdName);
            _resources.AddRange(defined);
        }

        return defined;
    }

    public void Forget(string crdName)
    {
        lock (_gate) _resources.RemoveAll(r => r.DefinedBy == crdName);
    }

    private static string[] Strings(JsonNode? array) => (array as JsonArray ?? []).Select(n => (string)n!).ToArray();
}
