using System.Text.Json.Nodes;

namespace TusCluster.Operator.Resources;

internal sealed record ExtraEnvVar
{
    public string? Name { get; init; }
    public string? Value { get; init; }
    public JsonObject? ValueFrom { get; init; }
}
