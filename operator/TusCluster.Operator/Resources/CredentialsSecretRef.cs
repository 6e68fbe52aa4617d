namespace TusCluster.Operator.Resources;

/// <summary>A Secret holding an access key and a secret key (S3, DynamoDB).</summary>
internal sealed record CredentialsSecretRef
{
    public string? Name { get; init; }
    public string? AccessKeyKey { get; init; }
    public string? SecretKeyKey { get; init; }
}
