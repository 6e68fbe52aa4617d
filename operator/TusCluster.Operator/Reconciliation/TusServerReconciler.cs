using System.Net;
using System.Text.Json.Nodes;
using k8s.Autorest;
using Microsoft.Extensions.Logging;
using TusCluster.Operator.Kubernetes;
using TusCluster.Operator.Resources;
using TusCluster.Operator.Status;

namespace TusCluster.Operator.Reconciliation;

/// <summary>
/// One reconcile of one TusServer: read it and the data of the Secrets and ConfigMaps it references, build
/// the desired children, apply them (server-side apply, one field manager), remove optional children that
/// are no longer wanted, and report status. It never deletes storage: children go through owner references
/// when the TusServer is deleted, and the data (bucket, volume claim, coordination backend) is not a child.
/// </summary>
internal sealed partial class TusServerReconciler(ClusterApi api, ReferenceIndex references, TimeProvider time, ILogger<TusServerReconciler> logger)
{
    public async Task ReconcileAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var obj = await api.GetTusServerAsync(ns, name, cancellationToken).ConfigureAwait(false);
        // Gone or going: the garbage collector removes the children through their owner references.
        if (obj is null || obj["metadata"]?["deletionTimestamp"] is not null)
        {
            references.Forget(ns, name);
            return;
        }

        var server = TusServer.FromJson(obj);
        var referenced = ReferencedObjects.Of(server.Spec);
        references.Set(ns, name, referenced);
        var referencedData = await ReferencedDataDigest.ComputeAsync(api, ns, referenced, cancellationToken).ConfigureAwait(false);
        var desired = DesiredStateBuilder.Build(server, referencedData);
        string? applyError = null;
        if (desired.IsValid)
        {
            applyError = await ApplyAsync(server, desired, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            LogInvalid(logger, ns, name, string.Join(" ", desired.Errors));
        }

        // Read after applying: the Deployment watch brings the next status change here within moments.
        var deployment = await api.ReadDeploymentAsync(ns, ChildNames.Upload(name), cancellationToken).ConfigureAwait(false);
        var status = StatusBuilder.Build(server, desired, new ObservedState(deployment, applyError), time.GetUtcNow());
        if (!JsonNode.DeepEquals(server.Status, status))
        {
            await api.PatchTusServerStatusAsync(ns, name, status, cancellationToken).ConfigureAwait(false);
        }
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
            catch (HttpOperationException e) when (kind == ResourceKind.ServiceMonitor && e.Response?.StatusCode == HttpStatusCode.NotFound)
            {
                problems.Add("spec.monitoring.serviceMonitor is enabled but the ServiceMonitor resource (monitoring.coreos.com/v1, prometheus-operator) is not installed.");
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity or HttpStatusCode.Forbidden)
            {
                // Rejected as written: retrying the same request cannot succeed, so report it instead of crash-looping.
                var (reason, message) = ApiErrors.Describe(e);
                problems.Add($"{kind.Kind} {(string?)manifest["metadata"]!["name"]} was rejected ({(int)e.Response!.StatusCode} {reason}): {message}");
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
        var existing = await api.ReadMetadataAsync(kind, server.Namespace, childName, cancellationToken).ConfigureAwait(false);
        var owned = existing?.OwnerReferences?.Any(r => r.Uid == server.Uid) == true;
        if (existing is null || !owned) return;
        try
        {
            await api.DeleteAsync(kind, server.Namespace, childName, existing.Uid, cancellationToken).ConfigureAwait(false);
            LogDeleted(logger, kind.Kind, server.Namespace, childName);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            // Already gone, or replaced by another object of the same name since it was read: not ours to delete.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "TusServer {Namespace}/{Name} is invalid: {Errors}")]
    private static partial void LogInvalid(ILogger logger, string @namespace, string name, string errors);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Kind} {Namespace}/{Name}: no longer wanted by its TusServer.")]
    private static partial void LogDeleted(ILogger logger, string kind, string @namespace, string name);
}
