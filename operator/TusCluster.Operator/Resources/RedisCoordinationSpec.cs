namespace TusCluster.Operator.Resources;

internal sealed record RedisCoordinationSpec
{
    public string? Endpoint { get; init; }
    public string? User { get; init; }
    public PasswordSecretRef? PasswordSecretRef { get; init; }
    public int? Database { get; init; }
    public bool? UseTls { get; init; }
    public string? KeyPrefix { get; init; }
    public string? LeaseTtl { get; init; }
    public string? ConnectTimeout { get; init; }
    public string? CommandTimeout { get; init; }
    public int? WaitForReplicas { get; init; }
    public string? WaitTimeout { get; init; }
}
