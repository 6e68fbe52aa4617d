namespace TusCluster.Operator.Resources;

internal sealed record StorageSpec
{
    public string? Provider { get; init; }
    public S3StorageSpec? S3 { get; init; }
    public FileSystemStorageSpec? FileSystem { get; init; }
    public AzureStorageSpec? Azure { get; init; }
    public GcsStorageSpec? Gcs { get; init; }
}
