using System.Text.Json.Nodes;
using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Reconciliation;

/// <summary>Scales the upload Deployment on CPU; present only when spec.autoscaling.enabled.</summary>
internal static class HorizontalPodAutoscalerBuilder
{
    public static bool IsWanted(TusServerSpec spec) => spec.Autoscaling?.Enabled == true;

    public static JsonObject Build(TusServer server)
    {
        var a = server.Spec.Autoscaling;
        var manifest = ChildMetadata.Manifest("autoscaling/v2", "HorizontalPodAutoscaler", ChildMetadata.Create(server, ChildNames.Upload(server.Name), Labels.UploadComponent));
        manifest["spec"] = new JsonObject
        {
            ["scaleTargetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = ChildNames.Upload(server.Name) },
            ["minReplicas"] = a?.MinReplicas ?? OperatorDefaults.AutoscalingMinReplicas,
            ["maxReplicas"] = a?.MaxReplicas ?? OperatorDefaults.AutoscalingMaxReplicas,
            ["metrics"] = new JsonArray(new JsonObject
            {
                ["type"] = "Resource",
                ["resource"] = new JsonObject
                {
                    ["name"] = "cpu",
                    ["target"] = new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = a?.TargetCPUUtilizationPercentage ?? OperatorDefaults.AutoscalingTargetCpu },
                },
            }),
            // Scaling down drains replicas with open uploads (clients resume elsewhere): keep it gentle.
            ["behavior"] = new JsonObject
            {
                ["scaleDown"] = new JsonObject
                {
                    ["stabilizationWindowSeconds"] = 300,
                    ["policies"] = new JsonArray(new JsonObject { ["type"] = "Pods", ["value"] = 1, ["periodSeconds"] = 60 }),
                },
            },
        };
        return manifest;
    }
}
