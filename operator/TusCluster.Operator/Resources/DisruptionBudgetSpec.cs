using System.Text.Json.Nodes;

namespace TusCluster.Operator.Resources;

internal sealed record DisruptionBudgetSpec
{
    public bool? Enabled { get; init; }

    /// <summary>An integer or a percentage string, kept as the JSON value it was given as.</summary>
    public JsonNode? MinAvailable { get; init; }

    public JsonNode? MaxUnavailable { get; init; }
}
