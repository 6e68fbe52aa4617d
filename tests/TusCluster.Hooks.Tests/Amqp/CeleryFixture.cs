namespace TusCluster.Hooks.Tests.Amqp;

/// <summary>A broker and a Celery worker consuming <see cref="Queue"/> and running <see cref="Task"/>, for one test class.</summary>
public sealed class CeleryFixture : IAsyncLifetime
{
    public const string Task = "tus.tests.record_upload";

    private readonly TemporaryDirectory _output = new();
    private RabbitMqServer? _server;
    private CeleryWorker? _worker;

    public string Queue { get; } = $"tus-celery-{Guid.NewGuid():N}";

    public RabbitMqServer Server => _server ?? throw new InvalidOperationException("The broker is not started.");

    public string Output => _output.Path;

    internal string WorkerLog => _worker?.Log ?? string.Empty;

    public async ValueTask InitializeAsync()
    {
        _server = await RabbitMqServer.StartAsync();
        _worker = await CeleryWorker.StartAsync(_server.AmqpUri, Queue, Task, _output.Path);
    }

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _output.Dispose();
    }
}
