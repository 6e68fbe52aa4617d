using Microsoft.Extensions.Logging;
using TusCluster.Operator.Hosting;
using TusCluster.Operator.Kubernetes;

namespace TusCluster.Operator.Reconciliation;

/// <summary>Watches TusServers and reconciles each changed one; failures are retried with exponential backoff.</summary>
internal sealed partial class TusServerController(
    KubernetesApiClient api, TusServerReconciler reconciler, OperatorOptions options, TimeProvider time, ILoggerFactory loggers)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);
    private readonly ILogger _logger = loggers.CreateLogger<TusServerController>();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var queue = new WorkQueue();
        var watch = new ListWatchLoop(api, ResourceKind.TusServer, string.IsNullOrEmpty(options.WatchNamespace) ? null : options.WatchNamespace, options.ResyncPeriod, options.WatchTimeout, loggers.CreateLogger<ListWatchLoop>());
        var watching = watch.RunAsync(queue.Add, cancellationToken);
        var failures = new Dictionary<(string, string), int>();
        try
        {
            while (true)
            {
                var (ns, name) = await queue.TakeAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    var result = await reconciler.ReconcileAsync(ns, name, cancellationToken).ConfigureAwait(false);
                    failures.Remove((ns, name));
                    if (result.RequeueAfter is { } after) queue.AddAfter(ns, name, after, time, cancellationToken);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    var attempt = failures[(ns, name)] = failures.GetValueOrDefault((ns, name)) + 1;
                    var delay = TimeSpan.FromMilliseconds(Math.Min(100 * Math.Pow(2, attempt), MaxBackoff.TotalMilliseconds));
                    LogFailed(_logger, ns, name, attempt, delay, e);
                    queue.AddAfter(ns, name, delay, time, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down or leadership lost.
        }

        try
        {
            await watching.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected on cancellation.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconcile of {Namespace}/{Name} failed (attempt {Attempt}); retrying in {Delay}.")]
    private static partial void LogFailed(ILogger logger, string @namespace, string name, int attempt, TimeSpan delay, Exception exception);
}
