using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TusCluster.Hooks.Sinks;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Delivery;

/// <summary>
/// Delivers one outbox entry to every sink configured for its event, then deletes it. Any sink failing
/// leaves the entry for redelivery, to every sink again (receivers dedupe by event id).
/// </summary>
internal sealed class EventDelivery(HookSinks sinks, IEventOutbox outbox, HookMetrics metrics, TimeProvider time, IOptions<HooksOptions> options, ILogger<EventDelivery> logger)
{
    private readonly HooksOptions _options = options.Value;

    /// <summary>
    /// True when delivered (or dropped for good) and deleted; false when left for a later attempt, which
    /// with <paramref name="postponeOnFailure"/> is pushed out with a doubling pause (the immediate delivery
    /// after a commit leaves the entry where the commit put it: due after Tus:Hooks:RedeliveryDelay).
    /// </summary>
    public async Task<bool> DeliverAsync(OutboxEntry entry, bool postponeOnFailure, CancellationToken cancellationToken)
    {
        UploadEvent uploadEvent;
        try
        {
            uploadEvent = UploadEventJson.Deserialize(entry.Payload);
        }
        catch (JsonException e)
        {
            logger.LogError(e, "Outbox entry {EntryId} of upload {UploadId} is not an event; it is dropped", entry.Id, entry.UploadId);
            metrics.Abandoned();
            await outbox.DeleteEventAsync(entry, cancellationToken);
            return true;
        }

        foreach (var sink in sinks.Receivers(uploadEvent.Type))
        {
            if (!await InvokeAsync(sink, uploadEvent, cancellationToken))
            {
                if (postponeOnFailure)
                {
                    await RetryLaterAsync(entry, uploadEvent.OccurredAt, cancellationToken);
                }

                return false;
            }
        }

        await outbox.DeleteEventAsync(entry, cancellationToken);
        return true;
    }

    private async Task RetryLaterAsync(OutboxEntry entry, DateTimeOffset occurred, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now - occurred >= _options.GiveUpAfter)
        {
            logger.LogError("The event {EntryId} of upload {UploadId} stayed undelivered for {Age} after {Attempts} attempts; it is dropped", entry.Id, entry.UploadId, now - occurred, entry.Attempts + 1);
            metrics.Abandoned();
            await outbox.DeleteEventAsync(entry, cancellationToken);
            return;
        }

        var doubled = _options.RedeliveryDelay.TotalSeconds * Math.Pow(2, Math.Min(entry.Attempts, 20));
        var pause = TimeSpan.FromSeconds(Math.Min(doubled, _options.MaxRedeliveryBackoff.TotalSeconds) * (0.8 + (Random.Shared.NextDouble() * 0.4)));
        await outbox.PostponeEventAsync(entry, now + pause, cancellationToken);
    }

    private async Task<bool> InvokeAsync(IHookSink sink, UploadEvent uploadEvent, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await sink.InvokeAsync(uploadEvent, cancellationToken);
            metrics.Invoked(uploadEvent.Type, sink.Name, "ok", Stopwatch.GetElapsedTime(started).TotalSeconds);
            return true;
        }
        catch (HookUnavailableException e)
        {
            metrics.Invoked(uploadEvent.Type, sink.Name, "failed", Stopwatch.GetElapsedTime(started).TotalSeconds);
            logger.LogWarning(e, "The {Type} event {EventId} of upload {UploadId} could not be delivered by {Sink}; it is redelivered later", uploadEvent.Type.Name(), uploadEvent.Id, uploadEvent.Upload.Id, sink.Name);
            return false;
        }
    }
}
