using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Sweeping;

/// <summary>
/// Runs continuously: stands by until it holds the cluster's leader lease, then sweeps every interval
/// until the lease is lost or the host stops. Only the leader deletes anything, so exactly one instance
/// sweeps per cluster; a standby takes over within one lease TTL of the leader's death.
/// </summary>
internal sealed class SweeperService(
    IUploadCoordination coordination,
    SweepPass pass,
    OrphanSweep orphans,
    SweeperMetrics metrics,
    TimeProvider time,
    IOptions<SweeperOptions> options,
    ILogger<SweeperService> logger) : BackgroundService
{
    private readonly SweeperOptions _options = options.Value;
    private DateTimeOffset _nextOrphanScan = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The embedded backend completes synchronously: without this the first pass would run inside
        // the host's start-up and delay it.
        await Task.Yield();
        logger.LogInformation(
            "Sweeper started: every {Interval}, batches of {BatchSize}, at most {MaxDeletionsPerSecond} deletions/s{DryRun}; orphan reclaim {Orphans}",
            _options.Interval, _options.BatchSize, _options.MaxDeletionsPerSecond, _options.DryRun ? ", dry run" : string.Empty,
            orphans.IsAvailable ? $"after {_options.OrphanGracePeriod}" : "off");
        while (!stoppingToken.IsCancellationRequested)
        {
            var lease = await TryLeadAsync(stoppingToken);
            if (lease is null)
            {
                continue;
            }

            try
            {
                await using (lease)
                {
                    await LeadAsync(lease, stoppingToken);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Releasing the lease failed (the backend is unreachable): it expires by itself.
                metrics.Error("leader");
                logger.LogWarning(e, "The leader lease could not be released; it expires after its TTL");
            }
        }
    }

    private async Task<IUploadLease?> TryLeadAsync(CancellationToken stoppingToken)
    {
        try
        {
            return await coordination.AcquireAsync(SweeperLeadership.LeaseId, SweeperLeadership.StandbyAttempt, stoppingToken);
        }
        catch (LockTimeoutException)
        {
            // Another instance leads; try again at once (the attempt itself waited).
            return null;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e)
        {
            metrics.Error("leader");
            logger.LogWarning(e, "The leader lease could not be taken; the sweeper tries again shortly");
            await DelayAsync(SweeperLeadership.RetryAfterFailure, stoppingToken);
            return null;
        }
    }

    private async Task LeadAsync(IUploadLease lease, CancellationToken stoppingToken)
    {
        // A leader never hands over (HandOverRequested is ignored): standbys ask every time they try.
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lease.Lost);
        metrics.Leading(true);
        logger.LogInformation("This sweeper became the leader (lease {FencingToken})", lease.FencingToken);
        try
        {
            while (!leading.IsCancellationRequested)
            {
                await SweepOnceAsync(leading.Token);
                await DelayAsync(_options.Interval, leading.Token);
            }
        }
        finally
        {
            metrics.Leading(false);
            if (lease.Lost.IsCancellationRequested)
            {
                logger.LogWarning("The sweeper lost its leader lease; it stopped sweeping and stands by");
            }
        }
    }

    private async Task SweepOnceAsync(CancellationToken leading)
    {
        try
        {
            await pass.RunAsync(leading);
            if (orphans.IsAvailable && time.GetUtcNow() >= _nextOrphanScan)
            {
                _nextOrphanScan = time.GetUtcNow() + _options.OrphanScanInterval;
                await orphans.RunAsync(leading);
            }
        }
        catch (OperationCanceledException) when (leading.IsCancellationRequested)
        {
            // Stopped or lost the lease mid-pass: whatever was done is consistent, the rest is next time.
        }
        catch (Exception e) when (e is CoordinationUnavailableException or Protocol.Storage.StoreUnavailableException or LeaseLostException)
        {
            metrics.Error("pass");
            logger.LogWarning(e, "A sweep pass failed; the next pass carries on");
        }
        catch (Exception e)
        {
            // Inside the upload service a failing sweeper must not stop the host that serves uploads.
            metrics.Error("pass");
            logger.LogError(e, "A sweep pass failed unexpectedly; the next pass carries on");
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping or no longer leading: the caller's loop condition decides.
        }
    }
}
