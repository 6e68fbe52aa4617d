using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TusCluster.Coordination.Redis.Connection;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Redis;

/// <summary>
/// Coordination through Redis: a lock key per upload holding its fencing token (drawn by INCR), the
/// record as JSON, one sorted set as expiry index. Hand-over requests and release notices travel over
/// pub/sub. One <see cref="ConnectionMultiplexer"/> per instance (the container holds one instance per
/// process) carries commands, scripts and the pattern subscriptions, and reconnects by itself.
/// </summary>
internal sealed partial class RedisUploadCoordination : IUploadCoordination, IAsyncDisposable
{
    /// <summary>How often a waiting acquirer retries when no release notice arrives (lost messages).</summary>
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentDictionary<string, RedisUploadLease> _leases = new(StringComparer.Ordinal);
    private readonly ReleaseSignals _releases = new();
    private readonly ConnectionMultiplexer _connection;
    private readonly CancellationTokenSource _stop = new();
    private readonly ILogger<RedisUploadCoordination> _logger;
    private volatile string? _unsupportedServer;
    private int _disposed;

    public RedisUploadCoordination(IOptions<RedisCoordinationOptions> options, ILogger<RedisUploadCoordination> logger)
    {
        Options = options.Value;
        _logger = logger;
        Keys = new RedisKeys(Options.KeyPrefix);
        LeaseTtlMilliseconds = (long)Options.LeaseTtl.TotalMilliseconds;
        _connection = ConnectionMultiplexer.Connect(RedisConnectionSettings.Create(Options));
        Database = _connection.GetDatabase();
        InspectServers();
        _connection.ConnectionRestored += (_, _) => InspectServers();
        Subscribed = SubscribeAsync();
    }

    internal RedisCoordinationOptions Options { get; }

    internal RedisKeys Keys { get; }

    internal IDatabase Database { get; }

    internal long LeaseTtlMilliseconds { get; }

    /// <summary>Set when a server turned out to be a Redis Cluster node, which this backend refuses.</summary>
    internal string? UnsupportedServer => _unsupportedServer;

    /// <summary>Completes once both patterns are subscribed (hand-over requests sent before may be missed, and are repeated).</summary>
    internal Task Subscribed { get; }

    public async ValueTask<UploadRecord?> GetAsync(string uploadId, CancellationToken cancellationToken)
    {
        RequireId(uploadId);
        ThrowIfUnsupported();
        var json = await RedisFailures.RunAsync(Database.StringGetAsync(Keys.Record(uploadId)), "GET");
        return Deserialize(uploadId, (byte[]?)json);
    }

    /// <summary>
    /// The acquire-and-wait loop, in three steps per round: try to take the lock (primitive), ask the
    /// holder to hand over (primitive), wait for a release notice or the poll interval.
    /// </summary>
    public async ValueTask<IUploadLease> AcquireAsync(string uploadId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        RequireId(uploadId);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var released = _releases.Register(uploadId);
            try
            {
                if (await TryAcquireAsync(uploadId) is { } lease)
                {
                    return lease;
                }

                await RequestHandOverAsync(uploadId);
                var remaining = deadline - DateTime.UtcNow;
                if (remaining <= TimeSpan.Zero)
                {
                    throw new LockTimeoutException($"Upload {uploadId} stayed locked for {timeout}.");
                }

                try
                {
                    await released.Task.WaitAsync(remaining < PollInterval ? remaining : PollInterval, cancellationToken);
                }
                catch (TimeoutException)
                {
                    // Poll again: the release notice may have been lost.
                }
            }
            finally
            {
                _releases.Unregister(uploadId, released);
            }
        }
    }

    /// <summary>Takes the lock if it is free and returns the running lease; null while another holds it.</summary>
    private async Task<RedisUploadLease?> TryAcquireAsync(string uploadId)
    {
        ThrowIfUnsupported();
        var attemptStarted = Environment.TickCount64;

        // Not cancellable once sent: a lock taken by a call nobody waits for would block the upload for a TTL.
        var reply = await RedisFailures.RunAsync(
            Database.ScriptEvaluateAsync(
                RedisScripts.Acquire,
                [Keys.Lock(uploadId), Keys.Fence(uploadId), Keys.Record(uploadId)],
                [LeaseTtlMilliseconds],
                CommandFlags.CommandRetryNever),
            "the acquire script");
        if (reply.Resp2Type != ResultType.Array)
        {
            return null;
        }

        var elements = (RedisResult[])reply!;
        var token = (string)elements[0]!;
        UploadRecord? record;
        try
        {
            record = Deserialize(uploadId, (byte[]?)elements[1]);
        }
        catch (CoordinationUnavailableException)
        {
            await ReleaseAsync(uploadId, token);
            throw;
        }

        var lease = new RedisUploadLease(this, uploadId, long.Parse(token, NumberStyles.None, CultureInfo.InvariantCulture), record, attemptStarted);
        _leases[uploadId] = lease;
        lease.StartKeepAlive();
        return lease;
    }

    /// <summary>Asks whoever holds the lock, on any replica, to commit what it has and let go.</summary>
    private Task RequestHandOverAsync(string uploadId) =>
        RedisFailures.RunAsync(_connection.GetSubscriber().PublishAsync(RedisChannel.Literal(Keys.HandOverChannel(uploadId)), "1"), "PUBLISH");

    public async ValueTask<IReadOnlyList<ExpiryEntry>> ReadExpiredAsync(DateTimeOffset upTo, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        ThrowIfUnsupported();
        var entries = await RedisFailures.RunAsync(
            Database.SortedSetRangeByScoreWithScoresAsync(Keys.Expiry, double.NegativeInfinity, upTo.ToUnixTimeMilliseconds(), take: limit),
            "ZRANGEBYSCORE");
        return [.. entries.Select(e => new ExpiryEntry((string)e.Element!, DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(e.Score))))];
    }

    public async ValueTask<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        if (_unsupportedServer is not null)
        {
            return false;
        }

        try
        {
            await RedisFailures.RunAsync(Database.PingAsync(), "PING").WaitAsync(Options.CommandTimeout + Options.ConnectTimeout, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is CoordinationUnavailableException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// Runs a write (or the read that settles a write's unknown outcome) and, with <c>WaitForReplicas</c>,
    /// <c>WAIT</c> in the same batch: both leave in one write on the one connection, so waiting for the
    /// replicas costs their acknowledgement, not another round trip. <c>WAIT</c> covers every write this
    /// connection sent before it, the script included.
    /// </summary>
    /// <exception cref="CoordinationUnavailableException">Redis failed, or too few replicas acknowledged (a <see cref="ReplicasBehindException"/> inside).</exception>
    internal async Task<RedisResult> RunReplicatedAsync(Func<IDatabaseAsync, Task<RedisResult>> write, string what)
    {
        ThrowIfUnsupported();
        var required = Options.WaitForReplicas;
        if (required <= 0)
        {
            return await RedisFailures.RunAsync(write(Database), what);
        }

        var batch = Database.CreateBatch();
        var written = write(batch);
        var waited = batch.ExecuteAsync("WAIT", required, (long)Options.WaitTimeout.TotalMilliseconds);
        batch.Execute();
        RedisResult reply;
        try
        {
            reply = await RedisFailures.RunAsync(written, what);
        }
        catch
        {
            _ = waited.ContinueWith(static t => t.Exception, TaskScheduler.Default);
            throw;
        }

        var acknowledged = (long)await RedisFailures.RunAsync(waited, "WAIT");
        if (acknowledged < required)
        {
            var behind = new ReplicasBehindException(acknowledged, required, Options.WaitTimeout);
            throw new CoordinationUnavailableException($"Redis ran {what} on the primary, but {behind.Message} A failover could lose it.", behind);
        }

        return reply;
    }

    /// <summary>Deletes the lock if it still holds <paramref name="token"/> and announces the release (best effort).</summary>
    internal async Task ReleaseAsync(string uploadId, string token)
    {
        try
        {
            await RedisFailures.RunAsync(
                Database.ScriptEvaluateAsync(RedisScripts.Release, [Keys.Lock(uploadId)], [token, Keys.ReleasedChannel(uploadId)], CommandFlags.CommandRetryNever),
                "the release script");
        }
        catch (Exception e) when (e is CoordinationUnavailableException or ObjectDisposedException)
        {
            // Redis is unreachable (or the coordination is gone): the lock expires by itself after the TTL.
        }
    }

    internal void Forget(RedisUploadLease lease) =>
        _leases.TryRemove(new KeyValuePair<string, RedisUploadLease>(lease.UploadId, lease));

    internal static UploadRecord? Deserialize(string uploadId, byte[]? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(json, RecordJsonContext.Default.UploadRecord);
        }
        catch (JsonException e)
        {
            throw new CoordinationUnavailableException($"The record of upload {uploadId} in Redis is unreadable.", e);
        }
    }

    /// <summary>
    /// Subscribes to both patterns, trying again until it succeeds (Redis may be down at start); once
    /// subscribed, the multiplexer resubscribes by itself after every reconnect.
    /// </summary>
    private async Task SubscribeAsync()
    {
        var subscriber = _connection.GetSubscriber();
        var delay = TimeSpan.FromMilliseconds(50);
        foreach (var pattern in new[] { Keys.HandOverPattern, Keys.ReleasedPattern })
        {
            while (true)
            {
                try
                {
                    await subscriber.SubscribeAsync(RedisChannel.Pattern(pattern), OnMessage);
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

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        var name = channel.ToString();
        if (name.StartsWith(Keys.HandOverPrefix, StringComparison.Ordinal))
        {
            if (_leases.TryGetValue(name[Keys.HandOverPrefix.Length..], out var lease))
            {
                // The holder's callbacks run on the thread pool, never on the multiplexer's reader.
                ThreadPool.QueueUserWorkItem(static l => l.RequestHandOver(), lease, preferLocal: false);
            }
        }
        else if (name.StartsWith(Keys.ReleasedPrefix, StringComparison.Ordinal))
        {
            _releases.Signal(name[Keys.ReleasedPrefix.Length..]);
        }
    }

    /// <summary>
    /// A Redis Cluster node cannot serve this backend: the expiry index is one sorted set for all
    /// uploads, so commit scripts would touch keys in different slots.
    /// </summary>
    private void InspectServers()
    {
        foreach (var server in _connection.GetServers())
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

    private void ThrowIfUnsupported()
    {
        if (_unsupportedServer is { } message)
        {
            throw new CoordinationUnavailableException(message);
        }
    }

    private static void RequireId(string uploadId)
    {
        if (!UploadId.IsValid(uploadId))
        {
            throw new ArgumentException($"'{uploadId}' is not an upload id.", nameof(uploadId));
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The container may dispose it twice: as itself and as IUploadCoordination.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var lease in _leases.Values)
        {
            await lease.DisposeAsync();
        }

        await _stop.CancelAsync();
        try
        {
            await Subscribed;
        }
        catch (OperationCanceledException)
        {
            // Never subscribed.
        }

        await _connection.CloseAsync();
        await _connection.DisposeAsync();
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscribing to {Pattern} failed ({Reason}); trying again.")]
    private partial void LogSubscribeFailed(string pattern, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Message}")]
    private partial void LogUnsupported(string message);
}
