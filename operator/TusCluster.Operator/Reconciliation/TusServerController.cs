using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using TusCluster.Operator.Hosting;
using TusCluster.Operator.Kubernetes;
using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Reconciliation;

/// <summary>
/// Reacts to what matters for a TusServer: the TusServer itself, the Deployments it owns (found by their
/// controller owner reference, so rollout progress reaches its status at once) and the Secrets and ConfigMaps
/// it references. Each event queues the TusServer's key; failures are retried with exponential backoff and jitter.
/// </summary>
internal sealed partial class TusServerController(
    ClusterApi api, TusServerReconciler reconciler, ReferenceIndex references, OperatorOptions options, TimeProvider time, ILoggerFactory loggers)
{
    private static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);
    private readonly ILogger _logger = loggers.CreateLogger<TusServerController>();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var queue = new WorkQueue();
        var ns = string.IsNullOrEmpty(options.WatchNamespace) ? null : options.WatchNamespace;
        var client = api.Client;
        var watchLogger = loggers.CreateLogger<MetadataWatch>();
        Task Watch(WatchSource source, TimeSpan? resync, Action<V1ObjectMeta> route) =>
            new MetadataWatch(source, resync, watchLogger).RunAsync((_, metadata) => route(metadata), cancellationToken);

        var watching = Task.WhenAll(
            Watch(WatchSources.TusServers(client, ns, options.WatchTimeout), options.ResyncPeriod, m => queue.Add(m.NamespaceProperty ?? "", m.Name ?? "")),
            Watch(WatchSources.Deployments(client, ns, $"{Labels.ManagedBy}={Labels.OperatorName}", options.WatchTimeout), null, m => EnqueueOwner(queue, m)),
            Watch(WatchSources.Secrets(client, ns, options.WatchTimeout), null, m => EnqueueReferencing(queue, ReferencedObject.Secret, m)),
            Watch(WatchSources.ConfigMaps(client, ns, options.WatchTimeout), null, m => EnqueueReferencing(queue, ReferencedObject.ConfigMap, m)));
        var failures = new Dictionary<(string, string), int>();
        try
        {
            while (true)
            {
                var (keyNamespace, name) = await queue.TakeAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await reconciler.ReconcileAsync(keyNamespace, name, cancellationToken).ConfigureAwait(false);
                    failures.Remove((keyNamespace, name));
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    var attempt = failures[(keyNamespace, name)] = failures.GetValueOrDefault((keyNamespace, name)) + 1;
                    var delay = Backoff.Delay(attempt, InitialBackoff, MaxBackoff, Random.Shared.NextDouble());
                    LogFailed(_logger, keyNamespace, name, attempt, delay, e);
                    queue.AddAfter(keyNamespace, name, delay, time, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down or leadership lost.
        }

        await watching.ConfigureAwait(false);
    }

    private static void EnqueueOwner(WorkQueue queue, V1ObjectMeta metadata)
    {
        var owner = metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true && r.Kind == TusServer.Kind && r.ApiVersion == TusServer.ApiVersion);
        if (owner is not null) queue.Add(metadata.NamespaceProperty ?? "", owner.Name);
    }

    private void EnqueueReferencing(WorkQueue queue, string kind, V1ObjectMeta metadata)
    {
        var ns = metadata.NamespaceProperty ?? "";
        foreach (var server in references.Referencing(kind, ns, metadata.Name ?? "")) queue.Add(ns, server);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconcile of {Namespace}/{Name} failed (attempt {Attempt}); retrying in {Delay}.")]
    private static partial void LogFailed(ILogger logger, string @namespace, string name, int attempt, TimeSpan delay, Exception exception);
}
