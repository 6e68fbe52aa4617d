namespace TusCluster.Operator.Resources;

/// <summary>Azure Blob Storage: a connection string from a Secret, or an account URL signed in with the pod's Azure identity.</summary>
internal sealed record AzureStorageSpec
{
    public string? Container { get; init; }
    public string? AccountUrl { get; init; }
    public PasswordSecretRef? ConnectionStringSecretRef { get; init; }
    public string? BlobPrefix { get; init; }
    public bool? DatePartitioned { get; init; }
    public int? BlockSize { get; init; }
    public bool? StageBlocksFromUrl { get; init; }
    public bool? CreateContainer { get; init; }
}
