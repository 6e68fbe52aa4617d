using System.Text.Json.Nodes;
using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Reconciliation;

/// <summary>The upload replicas.</summary>
internal static class UploadDeploymentBuilder
{
    public static JsonObject Build(TusServer server, string configHash)
    {
        var spec = server.Spec;
        var preStop = spec.Server?.PreStopDelaySeconds ?? OperatorDefaults.PreStopDelaySeconds;
        var shape = new PodTemplateFactory.ContainerShape(
            Labels.UploadComponent,
            "upload",
            Image(spec.Image?.Repository ?? OperatorDefaults.UploadImageRepository, spec.Image?.Tag),
            spec.Image?.PullPolicy ?? OperatorDefaults.PullPolicy,
            OperatorDefaults.UploadPort,
            spec.Resources?.DeepClone().AsObject() ?? DefaultResources(),
            [],
            preStop,
            TerminationGracePeriodSeconds(spec));

        var deploymentSpec = new JsonObject();
        // With autoscaling the HPA owns the count: leaving the field out of the apply gives it up.
        if (spec.Autoscaling?.Enabled != true) deploymentSpec["replicas"] = spec.Replicas ?? OperatorDefaults.Replicas;
        deploymentSpec["revisionHistoryLimit"] = 5;
        deploymentSpec["selector"] = new JsonObject { ["matchLabels"] = ChildMetadata.SelectorLabels(server, Labels.UploadComponent) };
        deploymentSpec["strategy"] = Strategy(spec);
        deploymentSpec["template"] = PodTemplateFactory.Build(server, shape, configHash);

        var metadata = ChildMetadata.Create(server, ChildNames.Upload(server.Name), Labels.UploadComponent);
        var manifest = ChildMetadata.Manifest("apps/v1", "Deployment", metadata);
        manifest["spec"] = deploymentSpec;
        return manifest;
    }

    /// <summary>preStop sleep + drain + commit + margin, so the kubelet never kills a pod that is still committing.</summary>
    public static int TerminationGracePeriodSeconds(TusServerSpec spec)
    {
        Duration.TryParse(spec.Server?.DrainPeriod ?? OperatorDefaults.DrainPeriod, out var drain);
        Duration.TryParse(spec.Server?.CommitGracePeriod ?? OperatorDefaults.CommitGracePeriod, out var commit);
        var preStop = spec.Server?.PreStopDelaySeconds ?? OperatorDefaults.PreStopDelaySeconds;
        return preStop + (int)Math.Ceiling((drain + commit).TotalSeconds) + OperatorDefaults.TerminationMarginSeconds;
    }

    public static string Image(string repository, string? tag) =>
        tag is { Length: > 0 } t ? (t.StartsWith("sha256:", StringComparison.Ordinal) ? $"{repository}@{t}" : $"{repository}:{t}") : $"{repository}:{OperatorDefaults.ImageTag}";

    private static JsonObject Strategy(TusServerSpec spec)
    {
        // Embedded coordination is one process owning a directory: two pods at once would share it.
        if (spec.Coordination?.Provider == "Embedded") return new JsonObject { ["type"] = "Recreate" };
        return new JsonObject
        {
            ["type"] = "RollingUpdate",
            ["rollingUpdate"] = new JsonObject { ["maxSurge"] = "25%", ["maxUnavailable"] = 0 },
        };
    }

    private static JsonObject DefaultResources() => new()
    {
        ["requests"] = new JsonObject { ["cpu"] = "250m", ["memory"] = "256Mi" },
        ["limits"] = new JsonObject { ["memory"] = "1Gi" },
    };
}
