namespace TusCluster.Operator.Resources;

internal sealed record AutoscalingSpec
{
    public bool? Enabled { get; init; }
    public int? MinReplicas { get; init; }
    public int? MaxReplicas { get; init; }
    public int? TargetCPUUtilizationPercentage { get; init; }
}
