using RabbitMQ.Client;

namespace TusCluster.Hooks.Amqp;

/// <summary>One message ready to publish (always mandatory and persistent).</summary>
internal sealed record AmqpMessage(string Exchange, string RoutingKey, BasicProperties Properties, ReadOnlyMemory<byte> Body);
