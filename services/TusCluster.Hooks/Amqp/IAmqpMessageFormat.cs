using RabbitMQ.Client;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Amqp;

/// <summary>How events become messages: tusd hook JSON to an exchange, or Celery task messages to a queue.</summary>
internal interface IAmqpMessageFormat
{
    /// <summary>Declares what publishing needs, on every new channel (idempotent).</summary>
    Task DeclareAsync(IChannel channel, CancellationToken cancellationToken);

    AmqpMessage Create(UploadEvent uploadEvent);
}
