namespace TusCluster.Operator.Resources;

internal sealed record ImageSpec
{
    public string? Repository { get; init; }
    public string? Tag { get; init; }
    public string? PullPolicy { get; init; }
}
