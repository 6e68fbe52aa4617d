using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using TusCluster.Operator.Hosting;
using TusCluster.Operator.Kubernetes;
using TusCluster.Operator.Resources;

namespace TusCluster.Operator.LeaderElection;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease, as client-go does it: the holder renews
/// spec.renewTime; others take the Lease over once they have seen no renewal for leaseDurationSeconds.
/// Every write carries the read resourceVersion, so two candidates can never both win (one gets 409).
/// Only the leader reconciles; losing the Lease cancels the work.
/// </summary>
internal sealed partial class LeaseLeaderElector(
    KubernetesApiClient api, OperatorOptions options, string leaseNamespace, string identity, TimeProvider time, ILogger<LeaseLeaderElector> logger)
{
    private string? _observedRecord;
    private DateTimeOffset _observedAt;

    public bool IsLeader { get; private set; }

    public async Task RunAsync(Func<CancellationToken, Task> lead, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!await TryAcquireOrRenewSafelyAsync(cancellationToken).ConfigureAwait(false))
            {
                await DelayAsync(options.RetryPeriod, cancellationToken).ConfigureAwait(false);
                continue;
            }

            IsLeader = true;
            LogAcquired(logger, leaseNamespace, options.LeaseName, identity);
            using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var work = lead(leading.Token);
            var renewedAt = time.GetUtcNow();
            while (!work.IsCompleted && !cancellationToken.IsCancellationRequested)
            {
                await Task.WhenAny(work, Task.Delay(options.RenewInterval, time, cancellationToken)).ConfigureAwait(false);
                if (work.IsCompleted || cancellationToken.IsCancellationRequested) break;
                if (await TryAcquireOrRenewSafelyAsync(cancellationToken).ConfigureAwait(false)) renewedAt = time.GetUtcNow();
                else if (time.GetUtcNow() - renewedAt >= options.LeaseDuration - options.RetryPeriod) break;
            }

            await leading.CancelAsync().ConfigureAwait(false);
            IsLeader = false;
            try
            {
                await work.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The work stops because leadership ended.
            }

            if (!cancellationToken.IsCancellationRequested) LogLost(logger, leaseNamespace, options.LeaseName);
        }
    }

    private async Task<bool> TryAcquireOrRenewSafelyAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogLeaseError(logger, e);
            return false;
        }
        catch (OperationCanceledException)
        {
            // Shutting down: the loops see the cancelled token and stop.
            return false;
        }
    }

    internal async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var lease = await api.GetAsync(ResourceKind.Lease, leaseNamespace, options.LeaseName, cancellationToken).ConfigureAwait(false);
        try
        {
            if (lease is null)
            {
                var created = new JsonObject
                {
                    ["apiVersion"] = ResourceKind.Lease.ApiVersion,
                    ["kind"] = ResourceKind.Lease.Kind,
                    ["metadata"] = new JsonObject { ["name"] = options.LeaseName, ["namespace"] = leaseNamespace },
                    ["spec"] = new JsonObject { ["leaseTransitions"] = 0 },
                };
                Hold(created["spec"]!.AsObject(), now, newHolder: true);
                created["spec"]!["leaseTransitions"] = 0;
                await api.CreateAsync(ResourceKind.Lease, leaseNamespace, created, cancellationToken).ConfigureAwait(false);
                return true;
            }

            var spec = lease["spec"] as JsonObject ?? [];
            lease["spec"] = spec;
            var holder = (string?)spec["holderIdentity"];
            var duration = TimeSpan.FromSeconds(JsonNumbers.Int32(spec["leaseDurationSeconds"]) ?? (int)options.LeaseDuration.TotalSeconds);
            // Like client-go, judge expiry by when *this* process saw the record change, not by the holder's
            // renewTime: the two clocks may disagree.
            var record = $"{holder}|{(string?)spec["renewTime"]}";
            if (record != _observedRecord)
            {
                _observedRecord = record;
                _observedAt = now;
            }

            var mine = holder == identity;
            if (!mine && !string.IsNullOrEmpty(holder) && _observedAt + duration > now) return false;

            Hold(spec, now, newHolder: !mine);
            await api.ReplaceAsync(ResourceKind.Lease, leaseNamespace, options.LeaseName, lease, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KubernetesApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    private void Hold(JsonObject spec, DateTimeOffset now, bool newHolder)
    {
        var stamp = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        spec["holderIdentity"] = identity;
        spec["leaseDurationSeconds"] = (int)options.LeaseDuration.TotalSeconds;
        spec["renewTime"] = stamp;
        if (!newHolder) return;
        spec["acquireTime"] = stamp;
        spec["leaseTransitions"] = (JsonNumbers.Int32(spec["leaseTransitions"]) ?? 0) + 1;
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Became leader: Lease {Namespace}/{Name} held by {Identity}.")]
    private static partial void LogAcquired(ILogger logger, string @namespace, string name, string identity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost Lease {Namespace}/{Name}; stopped reconciling.")]
    private static partial void LogLost(ILogger logger, string @namespace, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading or renewing the leader Lease failed.")]
    private static partial void LogLeaseError(ILogger logger, Exception exception);
}
