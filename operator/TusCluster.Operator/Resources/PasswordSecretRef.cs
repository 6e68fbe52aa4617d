namespace TusCluster.Operator.Resources;

internal sealed record PasswordSecretRef
{
    public string? Name { get; init; }
    public string? Key { get; init; }
}
