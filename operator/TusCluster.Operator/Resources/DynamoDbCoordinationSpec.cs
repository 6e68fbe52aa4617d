namespace TusCluster.Operator.Resources;

internal sealed record DynamoDbCoordinationSpec
{
    public string? ServiceUrl { get; init; }
    public string? Region { get; init; }
    public string? TableName { get; init; }
    public bool? CreateTable { get; init; }
    public string? LeaseTtl { get; init; }
    public string? HandOverPollInterval { get; init; }
    public string? RequestTimeout { get; init; }
    public CredentialsSecretRef? CredentialsSecretRef { get; init; }
}
