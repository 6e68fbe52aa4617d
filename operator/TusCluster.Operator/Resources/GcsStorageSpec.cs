namespace TusCluster.Operator.Resources;

/// <summary>Google Cloud Storage: a bucket, and a Secret with a service-account key file mounted as a volume (else workload identity).</summary>
internal sealed record GcsStorageSpec
{
    public string? Bucket { get; init; }
    public string? ObjectPrefix { get; init; }
    public bool? DatePartitioned { get; init; }
    public string? ProjectId { get; init; }
    public string? Endpoint { get; init; }
    public int? UploadChunkSize { get; init; }
    public long? ComponentSize { get; init; }
    public bool? CreateBucket { get; init; }
    public PasswordSecretRef? CredentialsSecretRef { get; init; }
}
