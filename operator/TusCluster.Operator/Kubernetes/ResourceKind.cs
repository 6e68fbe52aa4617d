using System.Text.Json.Nodes;

namespace TusCluster.Operator.Kubernetes;

/// <summary>A namespaced API resource and its REST paths.</summary>
internal sealed record ResourceKind(string Group, string Version, string Plural, string Kind)
{
    public static readonly ResourceKind ConfigMap = new("", "v1", "configmaps", "ConfigMap");
    public static readonly ResourceKind Service = new("", "v1", "services", "Service");
    public static readonly ResourceKind ServiceAccount = new("", "v1", "serviceaccounts", "ServiceAccount");
    public static readonly ResourceKind Deployment = new("apps", "v1", "deployments", "Deployment");
    public static readonly ResourceKind PodDisruptionBudget = new("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget");
    public static readonly ResourceKind HorizontalPodAutoscaler = new("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler");
    public static readonly ResourceKind ServiceMonitor = new("monitoring.coreos.com", "v1", "servicemonitors", "ServiceMonitor");
    public static readonly ResourceKind TusServer = new("tuscluster.io", "v1alpha1", "tusservers", "TusServer");
    public static readonly ResourceKind Lease = new("coordination.k8s.io", "v1", "leases", "Lease");

    private static readonly ResourceKind[] Known =
        [ConfigMap, Service, ServiceAccount, Deployment, PodDisruptionBudget, HorizontalPodAutoscaler, ServiceMonitor, TusServer, Lease];

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The collection path; a null namespace means across all namespaces (list and watch only).</summary>
    public string CollectionPath(string? ns)
    {
        var root = Group.Length == 0 ? "/api/v1" : $"/apis/{Group}/{Version}";
        return ns is null ? $"{root}/{Plural}" : $"{root}/namespaces/{Uri.EscapeDataString(ns)}/{Plural}";
    }

    public string ObjectPath(string ns, string name) => $"{CollectionPath(ns)}/{Uri.EscapeDataString(name)}";

    public static ResourceKind Of(JsonObject manifest)
    {
        var apiVersion = (string?)manifest["apiVersion"];
        var kind = (string?)manifest["kind"];
        return Known.FirstOrDefault(k => k.ApiVersion == apiVersion && k.Kind == kind)
            ?? throw new ArgumentException($"Unknown resource {apiVersion}/{kind}.", nameof(manifest));
    }
}
