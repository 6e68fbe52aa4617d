using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Amqp;

/// <summary>
/// One long-lived connection (automatic recovery on) and one channel with publisher confirms tracked by the client;
/// a publish completes only when the broker confirmed it, and anything else (nack, basic.return of an unroutable
/// mandatory message, no confirm in time, broker unreachable, connection lost) is a <see cref="HookUnavailableException"/>.
/// A broker that is down at start-up does not stop the service: each publish (and the start-up connector) tries to connect.
/// </summary>
internal sealed partial class AmqpPublisher : IAsyncDisposable
{
    public const string ClientName = "tuscluster";

    private readonly ConnectionFactory _factory;
    private readonly IAmqpMessageFormat _format;
    private readonly TimeSpan _confirmTimeout;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _opening = new(1, 1);
    private IConnection? _connection;
    private IChannel? _channel;
    private int _disposed;

    public AmqpPublisher(AmqpHookOptions options, IAmqpMessageFormat format, ILogger logger)
    {
        var uri = new Uri(options.Uri ?? throw new ArgumentException("Uri is not set.", nameof(options)));
        _factory = new ConnectionFactory
        {
            Uri = uri,
            ClientProvidedName = ClientName + "-hooks",
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = options.RecoveryInterval,
            RequestedConnectionTimeout = options.ConfirmTimeout,
            ContinuationTimeout = options.ConfirmTimeout,
        };
        _format = format;
        _confirmTimeout = options.ConfirmTimeout;
        _logger = logger;
        Endpoint = $"{uri.Scheme}://{uri.Host}:{_factory.Port}{uri.AbsolutePath}";
    }

    /// <summary>The broker without credentials, for messages and logs.</summary>
    public string Endpoint { get; }

    /// <exception cref="HookUnavailableException">The broker did not confirm the message.</exception>
    public Task PublishAsync(AmqpMessage message, CancellationToken cancellationToken) =>
        WithinTimeoutAsync(
            async limit =>
            {
                var channel = await OpenChannelAsync(limit);
                await channel.BasicPublishAsync(message.Exchange, message.RoutingKey, mandatory: true, message.Properties, message.Body, limit);
            },
            message,
            cancellationToken);

    /// <summary>Connects, opens the channel and declares what the format needs, unless that is done already.</summary>
    /// <exception cref="HookUnavailableException">The broker could not be reached in time.</exception>
    public Task ConnectAsync(CancellationToken cancellationToken) =>
        WithinTimeoutAsync(async limit => await OpenChannelAsync(limit), message: null, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_channel is { } channel)
        {
            await channel.DisposeAsync();
        }

        if (_connection is { } connection)
        {
            await connection.DisposeAsync();
        }

        _opening.Dispose();
    }

    private async Task WithinTimeoutAsync(Func<CancellationToken, Task> action, AmqpMessage? message, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_confirmTimeout);
        try
        {
            await action(limit.Token);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            var what = message is null ? "open a channel" : "confirm the message";
            throw new HookUnavailableException($"The AMQP broker {Endpoint} did not {what} within {_confirmTimeout}.", exception);
        }
        catch (PublishException exception) when (exception.IsReturn)
        {
            throw new HookUnavailableException(
                $"The AMQP broker {Endpoint} returned the message: nothing is bound to exchange '{message?.Exchange}' for routing key '{message?.RoutingKey}'.", exception);
        }
        catch (PublishException exception)
        {
            throw new HookUnavailableException($"The AMQP broker {Endpoint} refused the message (nack).", exception);
        }
        catch (Exception exception) when (exception is RabbitMQClientException or IOException or SocketException)
        {
            throw new HookUnavailableException($"The AMQP broker {Endpoint} is unavailable: {exception.Message}", exception);
        }
    }

    private async ValueTask<IChannel> OpenChannelAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true } open)
        {
            return open;
        }

        await _opening.WaitAsync(cancellationToken);
        try
        {
            if (_channel is { IsOpen: true } opened)
            {
                return opened;
            }

            var connection = _connection ??= await CreateConnectionAsync(cancellationToken);
            if (!connection.IsOpen)
            {
                // Automatic recovery reconnects and reopens the channel; a new channel now would only fail.
                throw new HookUnavailableException($"The connection to the AMQP broker {Endpoint} is lost; it is being recovered.");
            }

            // The connection is up but the channel was closed by the broker (an error on the channel, such as a
            // missing exchange): channel errors are not recovered automatically, so replace it.
            if (_channel is { } closed)
            {
                _channel = null;
                await closed.DisposeAsync();
            }

            var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
                cancellationToken);
            try
            {
                await _format.DeclareAsync(channel, cancellationToken);
            }
            catch
            {
                await channel.DisposeAsync();
                throw;
            }

            return _channel = channel;
        }
        finally
        {
            _opening.Release();
        }
    }

    private async Task<IConnection> CreateConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = await _factory.CreateConnectionAsync(cancellationToken);
        connection.ConnectionShutdownAsync += (_, e) =>
        {
            if (e.Initiator != ShutdownInitiator.Application)
            {
                LogConnectionLost(Endpoint, e.ReplyCode, e.ReplyText);
            }

            return Task.CompletedTask;
        };
        connection.RecoverySucceededAsync += (_, _) =>
        {
            LogConnectionRecovered(Endpoint);
            return Task.CompletedTask;
        };
        LogConnected(Endpoint);
        return connection;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Hooks: connected to the AMQP broker {Endpoint}.")]
    private partial void LogConnected(string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hooks: the connection to the AMQP broker {Endpoint} was closed ({ReplyCode} {ReplyText}); recovering.")]
    private partial void LogConnectionLost(string endpoint, ushort replyCode, string replyText);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hooks: the connection to the AMQP broker {Endpoint} is recovered.")]
    private partial void LogConnectionRecovered(string endpoint);
}
