using System.Text.Json.Nodes;

namespace TusCluster.Operator.Kubernetes;

/// <summary>A namespaced API resource the operator applies, reads or watches.</summary>
internal sealed record ResourceKind(string Group, string Version, string Plural, string Kind)
{
    public static readonly ResourceKind ConfigMap = new("", "v1", "configmaps", "ConfigMap");
    public static readonly ResourceKind Secret = new("", "v1", "secrets", "Secret");
    public static readonly ResourceKind Service = new("", "v1", "services", "Service");
    public static readonly ResourceKind ServiceAccount = new("", "v1", "serviceaccounts", "ServiceAccount");
    public static readonly ResourceKind Deployment = new("apps", "v1", "deployments", "Deployment");
    public static readonly ResourceKind PodDisruptionBudget = new("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget");
    public static readonly ResourceKind HorizontalPodAutoscaler = new("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler");
    public static readonly ResourceKind ServiceMonitor = new("monitoring.coreos.com", "v1", "servicemonitors", "ServiceMonitor");
    public static readonly ResourceKind TusServer = new("tuscluster.io", "v1alpha1", "tusservers", "TusServer");

    private static readonly ResourceKind[] Known =
        [ConfigMap, Secret, Service, ServiceAccount, Deployment, PodDisruptionBudget, HorizontalPodAutoscaler, ServiceMonitor, TusServer];

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public static ResourceKind Of(JsonObject manifest)
    {
        var apiVersion = (string?)manifest["apiVersion"];
        var kind = (string?)manifest["kind"];
        return Known.FirstOrDefault(k => k.ApiVersion == apiVersion && k.Kind == kind)
            ?? throw new ArgumentException($"Unknown resource {apiVersion}/{kind}.", nameof(manifest));
    }
}
