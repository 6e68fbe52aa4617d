namespace TusCluster.Operator.Resources;

internal sealed record EtcdCoordinationSpec
{
    public IReadOnlyList<string>? Endpoints { get; init; }
    public string? Username { get; init; }
    public PasswordSecretRef? PasswordSecretRef { get; init; }
    public string? KeyPrefix { get; init; }
    public string? LeaseTtl { get; init; }
    public string? RequestTimeout { get; init; }
}
