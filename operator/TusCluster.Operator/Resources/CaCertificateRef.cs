namespace TusCluster.Operator.Resources;

/// <summary>
/// Where a PEM file of private CA certificates comes from: a ConfigMap (a trust-manager bundle) or a Secret
/// (cert-manager's <c>ca.crt</c>), exactly one of them, and the data key holding the PEM.
/// </summary>
internal sealed record CaCertificateRef
{
    public string? ConfigMapName { get; init; }
    public string? SecretName { get; init; }
    public string? Key { get; init; }
}
