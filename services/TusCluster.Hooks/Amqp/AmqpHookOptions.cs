using TusCluster.Hooks.Payload;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Amqp;

/// <summary>
/// Bound from <c>Tus:Hooks:Amqp</c>: post-* events published to a RabbitMQ (AMQP 0-9-1) broker with publisher
/// confirms, as tusd hook JSON to a topic exchange or, with <see cref="CeleryOptions.Task"/> set, as Celery task
/// messages. The sink is added only when <see cref="Uri"/> is set.
/// </summary>
public sealed class AmqpHookOptions
{
    public const string SectionName = "Tus:Hooks:Amqp";

    /// <summary>amqp://user:password@host:port/vhost or amqps://...; holds a secret, so it is never logged.</summary>
    public string? Uri { get; set; }

    /// <summary>Exchange the hook JSON is published to; empty means the default exchange (routing key = queue name).</summary>
    public string Exchange { get; set; } = "tus.hooks";

    /// <summary>Declare <see cref="Exchange"/> (topic, durable) on connecting; off when the broker's owner declares it.</summary>
    public bool DeclareExchange { get; set; } = true;

    /// <summary>Routing key per event; <c>{type}</c> becomes the tusd event name (tus.post-finish).</summary>
    public string RoutingKey { get; set; } = "tus.{type}";

    /// <summary>tusd names of the events to publish; empty means every post-* event. Blocking (pre-*) events are refused.</summary>
    public IList<string> Events { get; } = [];

    /// <summary>Longest wait for the broker's confirm of one message, connecting included; then the event stays in the outbox.</summary>
    public TimeSpan ConfirmTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause between attempts to reconnect after the connection to the broker was lost.</summary>
    public TimeSpan RecoveryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Publish Celery task messages instead of plain hook JSON.</summary>
    public CeleryOptions Celery { get; } = new();

    internal bool IsCelery => !string.IsNullOrWhiteSpace(Celery.Task);

    /// <summary>Every event AMQP can take: the post-* ones (nobody can answer a message).</summary>
    internal static IReadOnlyList<UploadEventType> PostEvents { get; } = [.. UploadEventTypes.All.Where(type => !type.IsBlocking())];

    /// <summary>The event types to publish; the names must have been validated.</summary>
    internal IReadOnlySet<UploadEventType> EventTypes() => HookEventsSetting.Resolve(Events, PostEvents);
}
