namespace TusCluster.Operator.Resources;

internal sealed record S3StorageSpec
{
    public string? Bucket { get; init; }
    public string? ServiceUrl { get; init; }
    public string? Region { get; init; }
    public string? KeyPrefix { get; init; }
    public bool? DatePartitioned { get; init; }
    public bool? ForcePathStyle { get; init; }
    public string? ChecksumCalculation { get; init; }
    public long? PartSize { get; init; }
    public int? MaxConcurrentPartUploads { get; init; }
    public bool? CreateBucket { get; init; }
    public CredentialsSecretRef? CredentialsSecretRef { get; init; }

    /// <summary>The private CA an https serviceUrl chains to (for the store and an S3 coordination on its endpoint).</summary>
    public CaCertificateRef? CaCertificateRef { get; init; }
}
