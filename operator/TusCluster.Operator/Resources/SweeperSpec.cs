using System.Text.Json.Nodes;

namespace TusCluster.Operator.Resources;

internal sealed record SweeperSpec
{
    public bool? Enabled { get; init; }
    public int? Replicas { get; init; }
    public ImageSpec? Image { get; init; }
    public JsonObject? Resources { get; init; }
    public string? Interval { get; init; }
    public int? BatchSize { get; init; }
    public int? MaxDeletionsPerSecond { get; init; }
    public bool? DryRun { get; init; }
    public string? FinishedRetention { get; init; }
    public string? OrphanGracePeriod { get; init; }
}
