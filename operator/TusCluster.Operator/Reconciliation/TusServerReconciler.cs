using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using TusCluster.Operator.Hosting;
using TusCluster.Operator.Kubernetes;
using TusCluster.Operator.Resources;
using TusCluster.Operator.Status;

namespace TusCluster.Operator.Reconciliation;

/// <summary>
/// One reconcile of one TusServer: read it, build the desired children, apply them (server-side apply,
/// one field manager), remove optional children that are no longer wanted, and report status. It never
/// deletes storage: children go through owner references when the TusServer is deleted, and the data
/// (bucket, volume claim, coordination backend) is not a child.
/// </summary>
internal sealed partial class TusServerReconciler(KubernetesApiClient api, TimeProvider time, OperatorOptions options, ILogger<TusServerReconciler> logger)
{
    public async Task<ReconcileResult> ReconcileAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var obj = await api.GetAsync(ResourceKind.TusServer, ns, name, cancellationToken).ConfigureAwait(false);
        // Gone or going: the garbage collector removes the children through their owner references.
        if (obj is null || obj["metadata"]?["deletionTimestamp"] is not null) return ReconcileResult.Done;

        var server = TusServer.FromJson(obj);
        var desired = DesiredStateBuilder.Build(server);
        string? applyError = null;
        if (desired.IsValid)
        {
            applyError = await ApplyAsync(server, desired, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            LogInvalid(logger, ns, name, string.Join(" ", desired.Errors));
        }

        var deployment = await api.GetAsync(ResourceKind.Deployment, ns, ChildNames.Upload(name), cancellationToken).ConfigureAwait(false);
        var status = StatusBuilder.Build(server, desired, new ObservedState(deployment, applyError), time.GetUtcNow());
        if (!JsonNode.DeepEquals(server.Status, status))
        {
            await api.PatchStatusAsync(ResourceKind.TusServer, ns, name, status, cancellationToken).ConfigureAwait(false);
        }

        if (!desired.IsValid) return ReconcileResult.Done;
        var settled = status["conditions"]!.AsArray().OfType<JsonObject>()
            .All(c => (string?)c["type"] == Condition.Ready ? (string?)c["status"] == "True" : (string?)c["status"] == "False");
        return settled ? ReconcileResult.Done : new ReconcileResult(options.ProgressCheckInterval);
    }

    private async Task<string?> ApplyAsync(TusServer server, DesiredState desired, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var manifest in desired.Objects)
        {
            var kind = ResourceKind.Of(manifest);
            try
            {
                await api.ApplyAsync(manifest, cancellationToken).ConfigureAwait(false);
            }
            catch (KubernetesApiException e) when (kind == ResourceKind.ServiceMonitor && e.StatusCode == HttpStatusCode.NotFound)
            {
                problems.Add("spec.monitoring.serviceMonitor is enabled but the ServiceMonitor resource (monitoring.coreos.com/v1, prometheus-operator) is not installed.");
            }
            catch (KubernetesApiException e) when (e.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity or HttpStatusCode.Forbidden)
            {
                // Rejected as written: retrying the same request cannot succeed, so report it instead of crash-looping.
                problems.Add($"{kind.Kind} {(string?)manifest["metadata"]!["name"]} was rejected ({(int)e.StatusCode} {e.Reason}): {e.ApiMessage}");
            }
        }

        foreach (var (kind, childName) in desired.Absent)
        {
            await DeleteIfOwnedAsync(kind, server, childName, cancellationToken).ConfigureAwait(false);
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }

    private async Task DeleteIfOwnedAsync(ResourceKind kind, TusServer server, string childName, CancellationToken cancellationToken)
    {
        JsonObject? existing;
        try
        {
            existing = await api.GetAsync(kind, server.Namespace, childName, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return;
        }

        var owned = (existing?["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>().Any(r => (string?)r["uid"] == server.Uid);
        if (existing is null || !owned) return;
        await api.DeleteAsync(kind, server.Namespace, childName, (string)existing["metadata"]!["uid"]!, cancellationToken).ConfigureAwait(false);
        LogDeleted(logger, kind.Kind, server.Namespace, childName);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "TusServer {Namespace}/{Name} is invalid: {Errors}")]
    private static partial void LogInvalid(ILogger logger, string @namespace, string name, string errors);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Kind} {Namespace}/{Name}: no longer wanted by its TusServer.")]
    private static partial void LogDeleted(ILogger logger, string kind, string @namespace, string name);
}
