using RabbitMQ.Client;
using TusCluster.Hooks.Payload;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Amqp;

/// <summary>The tusd hook request JSON as the body, to the configured exchange with a routing key per event type.</summary>
internal sealed class HookJsonMessageFormat(AmqpHookOptions options) : IAmqpMessageFormat
{
    private readonly RoutingKeyTemplate _routingKeys = new(options.RoutingKey);

    public async Task DeclareAsync(IChannel channel, CancellationToken cancellationToken)
    {
        if (options.DeclareExchange)
        {
            await channel.ExchangeDeclareAsync(options.Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        }
    }

    public AmqpMessage Create(UploadEvent uploadEvent)
    {
        var properties = new BasicProperties
        {
            MessageId = uploadEvent.Id,
            Type = uploadEvent.Type.Name(),
            ContentType = "application/json",
            DeliveryMode = DeliveryModes.Persistent,
            Timestamp = new AmqpTimestamp(uploadEvent.OccurredAt.ToUnixTimeSeconds()),
            AppId = AmqpPublisher.ClientName,
        };
        return new AmqpMessage(options.Exchange, _routingKeys.For(uploadEvent.Type), properties, TusdHookJson.SerializeRequest(uploadEvent));
    }
}
