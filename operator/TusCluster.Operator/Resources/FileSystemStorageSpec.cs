namespace TusCluster.Operator.Resources;

internal sealed record FileSystemStorageSpec
{
    public string? ClaimName { get; init; }
    public string? SubPath { get; init; }
    public bool? DatePartitioned { get; init; }
    public bool? Fsync { get; init; }
}
