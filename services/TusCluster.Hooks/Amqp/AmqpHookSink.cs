using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TusCluster.Hooks.Sinks;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Amqp;

/// <summary>
/// Publishes post-* events to RabbitMQ, confirmed by the broker: as tusd hook JSON to a topic exchange, or as
/// Celery task messages. AMQP cannot answer, so blocking (pre-*) events are not taken.
/// </summary>
internal sealed class AmqpHookSink : IHookSink, IAsyncDisposable
{
    private readonly IReadOnlySet<UploadEventType> _events;
    private readonly IAmqpMessageFormat _format;
    private readonly AmqpPublisher _publisher;

    public AmqpHookSink(IOptions<AmqpHookOptions> options, ILogger<AmqpHookSink> logger)
    {
        var settings = options.Value;
        _events = settings.EventTypes();
        _format = settings.IsCelery ? new CeleryTaskMessageFormat(settings.Celery) : new HookJsonMessageFormat(settings);
        _publisher = new AmqpPublisher(settings, _format, logger);
    }

    public string Name => "amqp";

    public bool CanDecide => false;

    public bool Handles(UploadEventType type) => _events.Contains(type);

    public async ValueTask<HookDecision> InvokeAsync(UploadEvent uploadEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uploadEvent);
        if (uploadEvent.Type.IsBlocking())
        {
            throw new ArgumentException($"AMQP cannot decide a blocking '{uploadEvent.Type.Name()}' hook.", nameof(uploadEvent));
        }

        await _publisher.PublishAsync(_format.Create(uploadEvent), cancellationToken);
        return HookDecision.Proceed;
    }

    /// <summary>Connects and declares the exchange now instead of at the first event.</summary>
    /// <exception cref="HookUnavailableException">The broker could not be reached in time.</exception>
    public Task ConnectAsync(CancellationToken cancellationToken) => _publisher.ConnectAsync(cancellationToken);

    public ValueTask DisposeAsync() => _publisher.DisposeAsync();
}
