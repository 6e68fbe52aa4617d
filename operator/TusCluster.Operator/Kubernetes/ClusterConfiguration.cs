using k8s;
using TusCluster.Operator.Hosting;

namespace TusCluster.Operator.Kubernetes;

/// <summary>
/// Where the API server is and how to authenticate, as KubernetesClient reads it: an explicit kubeconfig,
/// else the pod's service account, else $KUBECONFIG or ~/.kube/config. The library handles exec and
/// auth-provider plugins, client certificates, cluster CAs and the rotating service-account token.
/// </summary>
internal static class ClusterConfiguration
{
    public static KubernetesClientConfiguration Load(OperatorOptions options)
    {
        if (options.Kubeconfig is { Length: > 0 } path) return KubernetesClientConfiguration.BuildConfigFromConfigFile(path, options.KubeconfigContext);
        if (KubernetesClientConfiguration.IsInCluster()) return KubernetesClientConfiguration.InClusterConfig();
        return KubernetesClientConfiguration.BuildConfigFromConfigFile(currentContext: options.KubeconfigContext);
    }
}
