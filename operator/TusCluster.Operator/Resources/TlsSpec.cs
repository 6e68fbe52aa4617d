namespace TusCluster.Operator.Resources;

/// <summary>HTTPS on the upload pods from a kubernetes.io/tls Secret (cert-manager's), re-read by the service when it rotates.</summary>
internal sealed record TlsSpec
{
    public string? SecretName { get; init; }
    public int? Port { get; init; }
}
