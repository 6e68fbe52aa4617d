using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using TusCluster.Operator.Reconciliation;
using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Status;

/// <summary>
/// Computes a TusServer's status from the desired state and the observed upload Deployment. Condition
/// transition times are kept while a condition's status does not change, so an unchanged world
/// produces an identical status (and no status write).
/// </summary>
internal static class StatusBuilder
{
    public static JsonObject Build(TusServer server, DesiredState desired, ObservedState observed, DateTimeOffset now)
    {
        var spec = server.Spec;
        var deployment = observed.UploadDeployment;
        var deploymentStatus = deployment?.Status;
        var replicas = deploymentStatus?.Replicas ?? 0;
        var ready = deploymentStatus?.ReadyReplicas ?? 0;
        var updated = deploymentStatus?.UpdatedReplicas ?? 0;
        var wanted = spec.Autoscaling?.Enabled == true
            ? deployment?.Spec?.Replicas ?? spec.Autoscaling.MinReplicas ?? OperatorDefaults.AutoscalingMinReplicas
            : spec.Replicas ?? OperatorDefaults.Replicas;
        var deploymentCurrent = deployment is not null
            && deploymentStatus?.ObservedGeneration >= (deployment.Metadata?.Generation ?? 0)
            && deployment.Spec?.Template?.Metadata?.Annotations?.TryGetValue(Labels.ConfigHashAnnotation, out var hash) == true && hash == desired.ConfigHash;

        var conditions = new List<Condition>();
        if (!desired.IsValid)
        {
            var message = string.Join(" ", desired.Errors);
            conditions.Add(new Condition(Condition.Degraded, true, "InvalidSpec", message));
            conditions.Add(new Condition(Condition.Progressing, false, "InvalidSpec", "The spec is not applied until it is fixed."));
            conditions.Add(new Condition(Condition.Ready, ready > 0, "InvalidSpec", $"{ready} replica(s) of the last valid spec are ready; the current spec is invalid."));
        }
        else if (observed.ApplyError is { } applyError)
        {
            conditions.Add(new Condition(Condition.Degraded, true, "ApplyFailed", applyError));
            conditions.Add(new Condition(Condition.Progressing, true, "Retrying", "Applying the children failed; retrying."));
            conditions.Add(new Condition(Condition.Ready, false, "ApplyFailed", $"{ready}/{wanted} replicas ready."));
        }
        else
        {
            var failure = DeploymentFailure(deploymentStatus);
            conditions.Add(failure is null
                ? new Condition(Condition.Degraded, false, "AsExpected", "All children are applied.")
                : new Condition(Condition.Degraded, true, "DeploymentFailed", failure));
            var rolledOut = deploymentCurrent && updated >= wanted && ready >= wanted && replicas <= wanted;
            conditions.Add(rolledOut
                ? new Condition(Condition.Progressing, false, "RolledOut", $"{ready}/{wanted} replicas run the current spec.")
                : new Condition(Condition.Progressing, true, "RollingOut", $"{updated} updated and {ready} ready of {wanted} replicas."));
            conditions.Add(wanted == 0
                ? new Condition(Condition.Ready, true, "ScaledToZero", "spec.replicas is 0.")
                : ready >= wanted && deploymentCurrent
                    ? new Condition(Condition.Ready, true, "AllReplicasReady", $"{ready}/{wanted} replicas ready.")
                    : new Condition(Condition.Ready, false, "ReplicasNotReady", $"{ready}/{wanted} replicas ready."));
        }

        var previous = server.Status?["conditions"] as JsonArray;
        var status = new JsonObject
        {
            ["observedGeneration"] = server.Generation,
            ["replicas"] = replicas,
            ["readyReplicas"] = ready,
            ["selector"] = ChildMetadata.UploadSelector(server),
            ["endpoint"] = Endpoint(server),
            ["conditions"] = new JsonArray(conditions.Select(c => (JsonNode)ToJson(c, previous, server.Generation, now)).ToArray()),
        };
        if (desired.IsValid) status["configHash"] = desired.ConfigHash;
        else if (server.Status?["configHash"] is { } lastHash) status["configHash"] = lastHash.DeepClone();
        return status;
    }

    public static string Endpoint(TusServer server)
    {
        var basePath = server.Spec.Server?.BasePath ?? OperatorDefaults.BasePath;
        if (server.Spec.Server?.PublicBaseUrl is { Length: > 0 } publicUrl) return publicUrl.TrimEnd('/') + basePath;
        var port = server.Spec.Service?.Port ?? OperatorDefaults.ServicePort;
        var portPart = port == 80 ? "" : ":" + port.ToString(CultureInfo.InvariantCulture);
        return $"http://{ChildNames.Upload(server.Name)}.{server.Namespace}.svc{portPart}{basePath}";
    }

    private static string? DeploymentFailure(V1DeploymentStatus? deploymentStatus)
    {
        foreach (var condition in deploymentStatus?.Conditions ?? [])
        {
            if ((condition.Type == "ReplicaFailure" && condition.Status == "True") || (condition.Type == "Progressing" && condition.Status == "False"))
            {
                return $"Deployment {condition.Type}: {condition.Reason}: {condition.Message}";
            }
        }

        return null;
    }

    private static JsonObject ToJson(Condition condition, JsonArray? previous, long generation, DateTimeOffset now)
    {
        var status = condition.Status ? "True" : "False";
        var before = previous?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == condition.Type);
        var transition = before is not null && (string?)before["status"] == status && before["lastTransitionTime"] is { } kept
            ? (string?)kept
            : now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["type"] = condition.Type,
            ["status"] = status,
            ["reason"] = condition.Reason,
            ["message"] = condition.Message,
            ["observedGeneration"] = generation,
            ["lastTransitionTime"] = transition,
        };
    }
}
