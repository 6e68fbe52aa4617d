using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;
using TusCluster.Operator.Hosting;

namespace TusCluster.Operator.LeaderElection;

/// <summary>
/// Runs the controller only while this replica holds the coordination.k8s.io/v1 Lease, using KubernetesClient's
/// LeaderElector and LeaseLock (client-go's algorithm: renew every retry period, give up after the renew deadline,
/// others take over once the lease duration passed without a renewal). Losing the Lease cancels the work;
/// the elector then campaigns again.
/// </summary>
internal sealed partial class OperatorLeaderElection(IKubernetes client, OperatorOptions options, string leaseNamespace, string identity, ILogger<OperatorLeaderElection> logger)
{
    private volatile bool _leading;

    public bool IsLeader => _leading;

    public async Task RunAsync(Func<CancellationToken, Task> lead, CancellationToken cancellationToken)
    {
        var config = new LeaderElectionConfig(new LeaseLock(client, leaseNamespace, options.LeaseName, identity))
        {
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
        };
        using var elector = new LeaderElector(config);
        CancellationTokenSource? leading = null;
        var work = Task.CompletedTask;
        elector.OnStartedLeading += () =>
        {
            leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var token = leading.Token;
            _leading = true;
            LogAcquired(logger, leaseNamespace, options.LeaseName, identity);
            work = Task.Run(() => lead(token), CancellationToken.None);
        };
        elector.OnStoppedLeading += () =>
        {
            _leading = false;
            leading?.Cancel();
        };
        elector.OnError += e => LogLeaseError(logger, e);

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await elector.RunUntilLeadershipLostAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Shutting down.
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // A failure the elector let through must not end the process' campaign: report it and campaign again.
                LogLeaseError(logger, e);
                await Task.Delay(options.RetryPeriod, CancellationToken.None).ConfigureAwait(false);
            }

            _leading = false;
            await StopAsync(work).ConfigureAwait(false);
            leading?.Dispose();
            leading = null;
            if (!cancellationToken.IsCancellationRequested) LogLost(logger, leaseNamespace, options.LeaseName);
        }
    }

    private static async Task StopAsync(Task work)
    {
        try
        {
            await work.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The work stops because leadership ended.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Became leader: Lease {Namespace}/{Name} held by {Identity}.")]
    private static partial void LogAcquired(ILogger logger, string @namespace, string name, string identity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost Lease {Namespace}/{Name}; stopped reconciling.")]
    private static partial void LogLost(ILogger logger, string @namespace, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading or renewing the leader Lease failed.")]
    private static partial void LogLeaseError(ILogger logger, Exception exception);
}
