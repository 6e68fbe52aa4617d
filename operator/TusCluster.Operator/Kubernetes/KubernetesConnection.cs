using System.Security.Cryptography.X509Certificates;

namespace TusCluster.Operator.Kubernetes;

/// <summary>Where the API server is and how to authenticate to it (from in-cluster files or a kubeconfig).</summary>
internal sealed record KubernetesConnection
{
    public required Uri Server { get; init; }

    /// <summary>Roots the server certificate must chain to; empty means the system trust store.</summary>
    public X509Certificate2Collection CertificateAuthorities { get; init; } = [];

    public bool SkipTlsVerify { get; init; }

    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Returns the current bearer token, or null; re-read so that rotated service-account tokens are picked up.</summary>
    public Func<string?> Token { get; init; } = () => null;

    public string? Namespace { get; init; }
}
