using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TusCluster.Hooks.Sinks;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Hooks.Delivery;

/// <summary>
/// The delivery leader: one replica at a time holds the lease on <see cref="UploadId.ReservedForEvents"/>
/// and delivers every outbox entry that is due, that is, every event whose committing replica did not
/// deliver it in time (it died, its receiver was down, its queue was full). A standby takes over
/// within one lease TTL of the leader's death.
/// </summary>
internal sealed class OutboxRedelivery(
    HookSinks sinks,
    IUploadCoordination coordination,
    IServiceProvider services,
    HookMetrics metrics,
    TimeProvider time,
    IOptions<HooksOptions> options,
    ILogger<OutboxRedelivery> logger) : BackgroundService
{
    private static readonly TimeSpan StandbyAttempt = TimeSpan.FromSeconds(1);
    private readonly HooksOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!sinks.AnyPost)
        {
            return;
        }

        await Task.Yield();
        var outbox = (IEventOutbox)services.GetService(typeof(IEventOutbox))!;
        var delivery = (EventDelivery)services.GetService(typeof(EventDelivery))!;
        while (!stoppingToken.IsCancellationRequested)
        {
            IUploadLease lease;
            try
            {
                lease = await coordination.AcquireAsync(UploadId.ReservedForEvents, StandbyAttempt, stoppingToken);
            }
            catch (LockTimeoutException)
            {
                continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "The event delivery lease could not be taken; trying again shortly");
                await PauseAsync(_options.RedeliveryPollInterval, stoppingToken);
                continue;
            }

            try
            {
                await using (lease)
                {
                    await LeadAsync(lease, outbox, delivery, stoppingToken);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "The event delivery lease could not be released; it expires after its TTL");
            }
        }
    }

    private async Task LeadAsync(IUploadLease lease, IEventOutbox outbox, EventDelivery delivery, CancellationToken stoppingToken)
    {
        // Like the sweeper's leader, this one never hands over: standbys ask every time they try.
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lease.Lost);
        logger.LogInformation("This replica delivers undelivered events (lease {FencingToken})", lease.FencingToken);
        try
        {
            while (!leading.IsCancellationRequested)
            {
                var full = await PassAsync(outbox, delivery, leading.Token);
                if (!full)
                {
                    await PauseAsync(_options.RedeliveryPollInterval, leading.Token);
                }
            }
        }
        finally
        {
            metrics.Backlog(0, TimeSpan.Zero);
        }
    }

    /// <summary>One look at what is due; true when the batch was full, so there may be more right away.</summary>
    private async Task<bool> PassAsync(IEventOutbox outbox, EventDelivery delivery, CancellationToken leading)
    {
        try
        {
            var now = time.GetUtcNow();
            var due = await outbox.ReadDueEventsAsync(now, _options.RedeliveryBatchSize, leading);
            metrics.Backlog(due.Count, due.Count == 0 ? TimeSpan.Zero : now - due[0].DueAt);
            await Parallel.ForEachAsync(
                due,
                new ParallelOptions { MaxDegreeOfParallelism = _options.DeliveryConcurrency, CancellationToken = leading },
                async (entry, ct) => await delivery.DeliverAsync(entry, postponeOnFailure: true, ct));
            return due.Count == _options.RedeliveryBatchSize;
        }
        catch (OperationCanceledException) when (leading.IsCancellationRequested)
        {
            return false;
        }
        catch (CoordinationUnavailableException e)
        {
            logger.LogWarning(e, "Undelivered events could not be read or settled; the next look carries on");
            return false;
        }
    }

    private async Task PauseAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping or no longer leading: the caller's loop decides.
        }
    }
}
