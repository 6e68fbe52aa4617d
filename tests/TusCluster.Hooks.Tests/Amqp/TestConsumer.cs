using System.Threading.Channels;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace TusCluster.Hooks.Tests.Amqp;

/// <summary>A plain RabbitMQ.Client consumer: an exclusive queue bound to an exchange, collecting what arrives.</summary>
internal sealed class TestConsumer : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly Channel<ReceivedMessage> _received = Channel.CreateUnbounded<ReceivedMessage>();

    private TestConsumer(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    /// <summary>Declares <paramref name="exchange"/> (topic, durable, as the sink does) and binds a new queue with <paramref name="bindingKey"/>.</summary>
    public static async Task<TestConsumer> StartAsync(Uri broker, string exchange, string bindingKey)
    {
        var connection = await new ConnectionFactory { Uri = broker, AutomaticRecoveryEnabled = false }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var consumer = new TestConsumer(connection, channel);
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true);
        var queue = await channel.QueueDeclareAsync(queue: string.Empty, durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(queue.QueueName, exchange, bindingKey);
        var basicConsumer = new AsyncEventingBasicConsumer(channel);
        basicConsumer.ReceivedAsync += (_, delivery) =>
        {
            consumer._received.Writer.TryWrite(new ReceivedMessage(delivery.Exchange, delivery.RoutingKey, new BasicProperties(delivery.BasicProperties), delivery.Body.ToArray()));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, basicConsumer);
        return consumer;
    }

    public async Task<ReceivedMessage> NextAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        return await _received.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>True when nothing more arrives within <paramref name="wait"/>.</summary>
    public async Task<bool> StaysEmptyAsync(TimeSpan wait)
    {
        await Task.Delay(wait, TestContext.Current.CancellationToken);
        return !_received.Reader.TryPeek(out _);
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
