using System.Text.Json.Nodes;

namespace TusCluster.Operator.Resources;

/// <summary>The spec of a TusServer (tuscluster.io/v1alpha1). Absent fields take the CRD's defaults in the builders.</summary>
internal sealed record TusServerSpec
{
    public int? Replicas { get; init; }
    public ImageSpec? Image { get; init; }
    public IReadOnlyList<string>? ImagePullSecrets { get; init; }
    public JsonObject? Resources { get; init; }
    public StorageSpec? Storage { get; init; }
    public CoordinationSpec? Coordination { get; init; }
    public LimitsSpec? Limits { get; init; }
    public ExpirationSpec? Expiration { get; init; }
    public ServerSpec? Server { get; init; }
    public SweeperSpec? Sweeper { get; init; }
    public AutoscalingSpec? Autoscaling { get; init; }
    public DisruptionBudgetSpec? DisruptionBudget { get; init; }
    public ServiceSpec? Service { get; init; }
    public MonitoringSpec? Monitoring { get; init; }
    public PodOverridesSpec? Pod { get; init; }
}
