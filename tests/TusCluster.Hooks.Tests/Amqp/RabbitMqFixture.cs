namespace TusCluster.Hooks.Tests.Amqp;

/// <summary>One real rabbitmq-server per test class (it takes seconds to start); classes keep apart by exchange names.</summary>
public sealed class RabbitMqFixture : IAsyncLifetime
{
    private RabbitMqServer? _server;

    public RabbitMqServer Server => _server ?? throw new InvalidOperationException("The broker is not started.");

    public async ValueTask InitializeAsync() => _server = await RabbitMqServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
