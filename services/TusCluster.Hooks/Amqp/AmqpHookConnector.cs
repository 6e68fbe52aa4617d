using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Amqp;

/// <summary>
/// Connects the AMQP sink (and declares its exchange) when the service starts, in the background: the exchange
/// exists before the first event and a wrong URI or password shows in the log at once. A broker that is down
/// delays nothing; the first publish tries again.
/// </summary>
internal sealed partial class AmqpHookConnector(AmqpHookSink sink, ILogger<AmqpHookConnector> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await sink.ConnectAsync(stoppingToken);
        }
        catch (HookUnavailableException exception)
        {
            LogNotConnected(exception.Message);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The service stops before the broker answered.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hooks: no connection to the AMQP broker at start ({Reason}); the first event tries again.")]
    private partial void LogNotConnected(string reason);
}
