using System.Text.Json.Nodes;
using TusCluster.Operator.Kubernetes;

namespace TusCluster.Operator.Reconciliation;

/// <summary>
/// What a TusServer should own: objects to apply (in order), optional children that must not exist,
/// and the spec's problems. A state with errors has no objects: nothing is applied.
/// </summary>
internal sealed record DesiredState(
    IReadOnlyList<JsonObject> Objects,
    IReadOnlyList<(ResourceKind Kind, string Name)> Absent,
    IReadOnlyList<string> Errors,
    string ConfigHash)
{
    public bool IsValid => Errors.Count == 0;

    public JsonObject? Find(ResourceKind kind, string name) =>
        Objects.FirstOrDefault(o => ResourceKind.Of(o) == kind && (string?)o["metadata"]?["name"] == name);
}
