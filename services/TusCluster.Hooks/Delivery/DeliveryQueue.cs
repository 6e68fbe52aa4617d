using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TusCluster.Hooks.Sinks;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Hooks.Delivery;

/// <summary>
/// Delivers committed post-* events right away, off the request path, with bounded concurrency. The
/// entries are already durable in the outbox: a full queue, a failed delivery or this replica dying only
/// means the delivery leader sends them once they are due.
/// </summary>
internal sealed class DeliveryQueue(HookSinks sinks, IServiceProvider services, HookMetrics metrics, IOptions<HooksOptions> options, ILogger<DeliveryQueue> logger) : BackgroundService
{
    private readonly Channel<OutboxEntry> _pending = Channel.CreateBounded<OutboxEntry>(
        new BoundedChannelOptions(options.Value.DeliveryQueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleWriter = false });

    public void Enqueue(OutboxEntry entry)
    {
        if (!_pending.Writer.TryWrite(entry))
        {
            metrics.Deferred();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!sinks.AnyPost)
        {
            return;
        }

        await Task.Yield();

        // Resolved here, not in the constructor: the delivery needs the outbox, which the engine's
        // hooks (and so this queue) must not wait for when no post-* event is configured.
        var delivery = (EventDelivery)services.GetService(typeof(EventDelivery))!;
        var workers = Enumerable.Range(0, options.Value.DeliveryConcurrency).Select(_ => WorkAsync(delivery, stoppingToken));
        await Task.WhenAll(workers);
    }

    private async Task WorkAsync(EventDelivery delivery, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var entry in _pending.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await delivery.DeliverAsync(entry, postponeOnFailure: false, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // The outbox could not be updated (coordination down): the entry is redelivered when due.
                    logger.LogWarning(e, "Event {EntryId} of upload {UploadId} was not settled; the delivery leader redelivers it", entry.Id, entry.UploadId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: queued entries stay in the outbox.
        }
    }
}
