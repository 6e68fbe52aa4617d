using System.Text.Json.Nodes;

namespace TusCluster.Operator.Resources;

/// <summary>Pod template overrides; affinity, tolerations and env sources pass through as given.</summary>
internal sealed record PodOverridesSpec
{
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    public IReadOnlyDictionary<string, string>? NodeSelector { get; init; }
    public JsonArray? Tolerations { get; init; }
    public JsonObject? Affinity { get; init; }
    public JsonArray? TopologySpreadConstraints { get; init; }
    public string? PriorityClassName { get; init; }
    public IReadOnlyList<ExtraEnvVar>? ExtraEnv { get; init; }
}
