using Microsoft.Extensions.Logging;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Redis.Resp;

/// <summary>
/// The one pub/sub connection of a replica: PSUBSCRIBEs to its patterns, hands every message to a
/// callback, pings now and then to notice a dead peer, and reconnects and resubscribes by itself.
/// Messages published while it is disconnected are lost; callers must tolerate that (they poll).
/// </summary>
internal sealed class RedisSubscriber : IAsyncDisposable
{
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(3);
    private readonly RedisCoordinationOptions _options;
    private readonly IReadOnlyList<string> _patterns;
    private readonly Action<string, string> _onMessage;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _disposed;
    private TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RedisSubscriber(RedisCoordinationOptions options, IReadOnlyList<string> patterns, Action<string, string> onMessage, ILogger logger)
    {
        _options = options;
        _patterns = patterns;
        _onMessage = onMessage;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Completes once the current connection has subscribed to every pattern.</summary>
    public Task Subscribed => Volatile.Read(ref _subscribed).Task;

    private async Task RunAsync()
    {
        var delay = TimeSpan.FromMilliseconds(50);
        while (!_stop.IsCancellationRequested)
        {
            RedisConnection? connection = null;
            try
            {
                connection = await RedisConnection.ConnectAsync(_options, OnPush, _stop.Token);
                foreach (var pattern in _patterns)
                {
                    var reply = await connection.ExecuteAsync(["PSUBSCRIBE", pattern], _stop.Token);
                    if (reply.IsError)
                    {
                        throw new CoordinationUnavailableException($"Redis refused PSUBSCRIBE {pattern}: {reply.Text}");
                    }
                }

                Volatile.Read(ref _subscribed).TrySetResult();
                delay = TimeSpan.FromMilliseconds(50);
                while (!connection.Closed.IsCompleted)
                {
                    await Task.WhenAny(connection.Closed, Task.Delay(PingInterval, _stop.Token));
                    _stop.Token.ThrowIfCancellationRequested();
                    if (!connection.Closed.IsCompleted)
                    {
                        await connection.ExecuteAsync(["PING"], _stop.Token);
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is CoordinationUnavailableException or OperationCanceledException)
            {
                _logger.LogWarning("The Redis subscriber connection failed ({Message}); reconnecting in {Delay}.", e.Message, delay);
            }
            finally
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }

                var previous = Volatile.Read(ref _subscribed);
                if (previous.Task.IsCompleted)
                {
                    Volatile.Write(ref _subscribed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                }
            }

            try
            {
                await Task.Delay(delay, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
        }
    }

    private bool OnPush(RespValue value)
    {
        if (value is { Type: RespType.Array, Elements: [var kind, _, var channel, var payload] } && kind.AsString() == "pmessage")
        {
            if (channel.AsString() is { } name)
            {
                _onMessage(name, payload.AsString() ?? string.Empty);
            }

            return true;
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }
}
