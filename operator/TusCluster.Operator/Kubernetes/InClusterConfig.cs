using System.Security.Cryptography.X509Certificates;

namespace TusCluster.Operator.Kubernetes;

/// <summary>The service-account files and KUBERNETES_SERVICE_* variables every pod gets.</summary>
internal static class InClusterConfig
{
    public const string DefaultDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    public static bool IsAvailable(string directory = DefaultDirectory) =>
        Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is { Length: > 0 } && File.Exists(Path.Combine(directory, "token"));

    public static KubernetesConnection Load(string directory = DefaultDirectory) => Load(
        directory,
        Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") ?? throw new InvalidOperationException("KUBERNETES_SERVICE_HOST is not set: not running in a pod."),
        Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT") ?? "443");

    public static KubernetesConnection Load(string directory, string host, string port)
    {
        var hostPart = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        var ca = new X509Certificate2Collection();
        var caPath = Path.Combine(directory, "ca.crt");
        if (File.Exists(caPath)) ca.ImportFromPemFile(caPath);
        var namespacePath = Path.Combine(directory, "namespace");
        return new KubernetesConnection
        {
            Server = new Uri($"https://{hostPart}:{port}"),
            CertificateAuthorities = ca,
            Token = new RotatingTokenFile(Path.Combine(directory, "token"), TimeSpan.FromMinutes(1)).Read,
            Namespace = File.Exists(namespacePath) ? File.ReadAllText(namespacePath).Trim() : null,
        };
    }
}
