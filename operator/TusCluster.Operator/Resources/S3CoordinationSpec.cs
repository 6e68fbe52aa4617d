namespace TusCluster.Operator.Resources;

/// <summary>Coordination on S3 alone: the endpoint, region and credentials are the S3 storage's; bucket defaults to the storage bucket.</summary>
internal sealed record S3CoordinationSpec
{
    public string? Bucket { get; init; }
    public string? KeyPrefix { get; init; }
    public bool? CreateBucket { get; init; }
    public string? LeaseTtl { get; init; }
    public string? PollInterval { get; init; }
    public string? RequestTimeout { get; init; }
}
