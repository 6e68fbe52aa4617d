using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Redis.Connection;

/// <summary>
/// The one <see cref="ConnectionMultiplexer"/> of a coordination: commands, scripts and the pattern
/// subscriptions share it, and it reconnects (and resubscribes) by itself. Refuses Redis Cluster nodes.
/// </summary>
internal sealed partial class RedisConnection : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _multiplexer;
    private readonly RedisCoordinationOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly ILogger _logger;
    private volatile string? _unsupportedServer;

    public RedisConnection(RedisCoordinationOptions options, IReadOnlyList<string> patterns, Action<RedisChannel, RedisValue> onMessage, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _multiplexer = ConnectionMultiplexer.Connect(RedisConnectionSettings.Create(options));
        Database = _multiplexer.GetDatabase();
        InspectServers();
        _multiplexer.ConnectionRestored += (_, _) => InspectServers();
        Subscribed = SubscribeAsync(patterns, onMessage);
    }

    public IDatabase Database { get; }

    /// <summary>Set when a server turned out to be a Redis Cluster node, which this backend refuses.</summary>
    public string? UnsupportedServer => _unsupportedServer;

    /// <summary>Completes once every pattern is subscribed.</summary>
    public Task Subscribed { get; }

    public void ThrowIfUnsupported()
    {
        if (_unsupportedServer is { } message)
        {
            throw new CoordinationUnavailableException(message);
        }
    }

    public Task PublishAsync(string channel, string message) =>
        RedisFailures.RunAsync(() => _multiplexer.GetSubscriber().PublishAsync(RedisChannel.Literal(channel), message), "PUBLISH");

    /// <summary>
    /// Runs a write (or the read that settles a write's unknown outcome) and, with <c>WaitForReplicas</c>,
    /// <c>WAIT</c> in the same batch: both leave in one write on the one connection, so waiting for the
    /// replicas costs their acknowledgement, not another round trip. <c>WAIT</c> covers every write this
    /// connection sent before it, the script included.
    /// </summary>
    /// <exception cref="CoordinationUnavailableException">Redis failed, or too few replicas acknowledged (a <see cref="ReplicasBehindException"/> inside).</exception>
    public async Task<RedisResult> RunReplicatedAsync(Func<IDatabaseAsync, Task<RedisResult>> write, string what)
    {
        ThrowIfUnsupported();
        var required = _options.WaitForReplicas;
        if (required <= 0)
        {
            return await RedisFailures.RunAsync(() => write(Database), what);
        }

        // Queuing can throw before any task exists (no connection): that too is a 503.
        var (written, waited) = await RedisFailures.RunAsync(
            () =>
            {
                var batch = Database.CreateBatch();
                var queuedWrite = write(batch);
                var queuedWait = batch.ExecuteAsync("WAIT", required, (long)_options.WaitTimeout.TotalMilliseconds);
                batch.Execute();
                return Task.FromResult((queuedWrite, queuedWait));
            },
            what);
        RedisResult reply;
        try
        {
            reply = await RedisFailures.RunAsync(() => written, what);
        }
        catch
        {
            _ = waited.ContinueWith(static t => t.Exception, TaskScheduler.Default);
            throw;
        }

        var acknowledged = (long)await RedisFailures.RunAsync(() => waited, "WAIT");
        if (acknowledged < required)
        {
            var behind = new ReplicasBehindException(acknowledged, required, _options.WaitTimeout);
            throw new CoordinationUnavailableException($"Redis ran {what} on the primary, but {behind.Message} A failover could lose it.", behind);
        }

        return reply;
    }

    /// <summary>
    /// Subscribes to every pattern, trying again until it succeeds (Redis may be down at start); once
    /// subscribed, the multiplexer resubscribes by itself after every reconnect.
    /// </summary>
    private async Task SubscribeAsync(IReadOnlyList<string> patterns, Action<RedisChannel, RedisValue> onMessage)
    {
        var subscriber = _multiplexer.GetSubscriber();
        var delay = TimeSpan.FromMilliseconds(50);
        foreach (var pattern in patterns)
        {
            while (true)
            {
                try
                {
                    await subscriber.SubscribeAsync(RedisChannel.Pattern(pattern), onMessage);
                    break;
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    LogSubscribeFailed(pattern, e.Message);
                    await Task.Delay(delay, _stop.Token);
                    delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
                }
            }
        }
    }

    /// <summary>
    /// A Redis Cluster node cannot serve this backend: the expiry index is one sorted set for all
    /// uploads, so commit scripts would touch keys in different slots.
    /// </summary>
    private void InspectServers()
    {
        foreach (var server in _multiplexer.GetServers())
        {
            if (server.IsConnected && server.ServerType == ServerType.Cluster)
            {
                _unsupportedServer =
                    $"Redis at {server.EndPoint} runs as Redis Cluster, which the Redis coordination does not support " +
                    "(the expiry index is one sorted set for all uploads). Use a single primary, with replicas and Sentinel for failover.";
                LogUnsupported(_unsupportedServer);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Subscribed;
        }
        catch (OperationCanceledException)
        {
            // Never subscribed.
        }

        await _multiplexer.CloseAsync();
        await _multiplexer.DisposeAsync();
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscribing to {Pattern} failed ({Reason}); trying again.")]
    private partial void LogSubscribeFailed(string pattern, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Message}")]
    private partial void LogUnsupported(string message);
}
