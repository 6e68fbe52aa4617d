using RabbitMQ.Client;

namespace TusCluster.Hooks.Tests.Amqp;

/// <summary>A delivery as the test consumer saw it (copied: the client owns the delivery's memory).</summary>
internal sealed record ReceivedMessage(string Exchange, string RoutingKey, IReadOnlyBasicProperties Properties, byte[] Body);
