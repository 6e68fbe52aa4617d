using System.Text.Json.Nodes;
using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Reconciliation;

/// <summary>Keeps voluntary evictions (node drains) from taking many upload replicas at once.</summary>
internal static class PodDisruptionBudgetBuilder
{
    public static bool IsWanted(TusServerSpec spec) => spec.DisruptionBudget?.Enabled ?? true;

    public static JsonObject Build(TusServer server)
    {
        var budget = server.Spec.DisruptionBudget;
        var pdbSpec = new JsonObject { ["selector"] = new JsonObject { ["matchLabels"] = ChildMetadata.SelectorLabels(server, Labels.UploadComponent) } };
        if (budget?.MinAvailable is { } min) pdbSpec["minAvailable"] = min.DeepClone();
        else pdbSpec["maxUnavailable"] = budget?.MaxUnavailable?.DeepClone() ?? 1;

        // Pods that never became ready may be evicted even when the budget is exhausted; they serve nothing.
        pdbSpec["unhealthyPodEvictionPolicy"] = "AlwaysAllow";
        var manifest = ChildMetadata.Manifest("policy/v1", "PodDisruptionBudget", ChildMetadata.Create(server, ChildNames.Upload(server.Name), Labels.UploadComponent));
        manifest["spec"] = pdbSpec;
        return manifest;
    }
}
