namespace TusCluster.Operator.Resources;

internal sealed record LimitsSpec
{
    public long? MaxUploadSize { get; init; }
    public int? MaxConcatParts { get; init; }
    public int? MaxMetadataSize { get; init; }
    public long? MaxConcurrentConnections { get; init; }
    public long? MaxRequestBodySize { get; init; }
    public int? MinRequestBodyDataRate { get; init; }
    public string? LockAcquireTimeout { get; init; }
}
