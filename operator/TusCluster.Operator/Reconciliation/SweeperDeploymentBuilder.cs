using System.Text.Json.Nodes;
using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Reconciliation;

/// <summary>
/// The sweeper host (deletes expired uploads and tombstones). Only with a shared coordination backend:
/// Embedded records are visible to the upload pod alone, which then sweeps in-process.
/// </summary>
internal static class SweeperDeploymentBuilder
{
    public static bool IsWanted(TusServerSpec spec) =>
        (spec.Sweeper?.Enabled ?? true) && spec.Coordination?.Provider is "Redis" or "Etcd" or "DynamoDb" or "PostgreSql" or "S3";

    public static JsonObject Build(TusServer server, string configHash)
    {
        var spec = server.Spec;
        var sweeper = spec.Sweeper;
        var extraEnv = new JsonArray(new JsonObject
        {
            ["name"] = "TUS__SERVER__URLS",
            ["value"] = $"http://0.0.0.0:{OperatorDefaults.SweeperPort}",
        });
        var shape = new PodTemplateFactory.ContainerShape(
            Labels.SweeperComponent,
            "sweeper",
            UploadDeploymentBuilder.Image(sweeper?.Image?.Repository ?? OperatorDefaults.SweeperImageRepository, sweeper?.Image?.Tag is { Length: > 0 } tag ? tag : spec.Image?.Tag),
            sweeper?.Image?.PullPolicy ?? OperatorDefaults.PullPolicy,
            OperatorDefaults.SweeperPort,
            sweeper?.Resources?.DeepClone().AsObject() ?? DefaultResources(),
            extraEnv,
            PreStopDelaySeconds: 0,
            TerminationGracePeriodSeconds: 30);

        var metadata = ChildMetadata.Create(server, ChildNames.Sweeper(server.Name), Labels.SweeperComponent);
        var manifest = ChildMetadata.Manifest("apps/v1", "Deployment", metadata);
        manifest["spec"] = new JsonObject
        {
            ["replicas"] = sweeper?.Replicas ?? OperatorDefaults.SweeperReplicas,
            ["revisionHistoryLimit"] = 3,
            ["selector"] = new JsonObject { ["matchLabels"] = ChildMetadata.SelectorLabels(server, Labels.SweeperComponent) },
            ["strategy"] = new JsonObject { ["type"] = "Recreate" },
            ["template"] = PodTemplateFactory.Build(server, shape, configHash),
        };
        return manifest;
    }

    private static JsonObject DefaultResources() => new()
    {
        ["requests"] = new JsonObject { ["cpu"] = "50m", ["memory"] = "64Mi" },
        ["limits"] = new JsonObject { ["memory"] = "256Mi" },
    };
}
