namespace TusCluster.Operator.Resources;

internal sealed record EmbeddedCoordinationSpec
{
    public bool? Fsync { get; init; }
}
