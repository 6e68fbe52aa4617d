using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TusCluster.Coordination.Redis.Resp;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Redis;

/// <summary>
/// Coordination through Redis: a lock key per upload holding its fencing token (drawn by INCR), the
/// record as JSON, one sorted set as expiry index. Hand-over requests and release notices travel over
/// pub/sub; the replica's one subscriber connection routes them to the local lease or waiting acquirers.
/// </summary>
internal sealed class RedisUploadCoordination : IUploadCoordination, IAsyncDisposable
{
    /// <summary>How often a waiting acquirer retries when no release notice arrives (lost messages).</summary>
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentDictionary<string, RedisUploadLease> _leases = new(StringComparer.Ordinal);
    private readonly ReleaseSignals _releases = new();
    private readonly RedisSubscriber _subscriber;
    private readonly ILogger<RedisUploadCoordination> _logger;
    private int _disposed;

    public RedisUploadCoordination(IOptions<RedisCoordinationOptions> options, ILogger<RedisUploadCoordination> logger)
    {
        Options = options.Value;
        _logger = logger;
        Keys = new RedisKeys(Options.KeyPrefix);
        Client = new RedisClient(Options);
        _subscriber = new RedisSubscriber(Options, [Keys.HandOverPattern, Keys.ReleasedPattern], OnMessage, logger);
    }

    internal RedisCoordinationOptions Options { get; }

    internal RedisKeys Keys { get; }

    internal RedisClient Client { get; }

    internal string LeaseTtlMilliseconds => ((long)Options.LeaseTtl.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    /// <summary>Completes once the subscriber listens (hand-over requests sent before may be missed, and are repeated).</summary>
    internal Task Subscribed => _subscriber.Subscribed;

    public async ValueTask<UploadRecord?> GetAsync(string uploadId, CancellationToken cancellationToken)
    {
        RequireId(uploadId);
        var reply = await Client.ReadAsync(["GET", Keys.Record(uploadId)], cancellationToken);
        return Deserialize(uploadId, reply.Bulk);
    }

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
                var attemptStarted = Environment.TickCount64;

                // Not cancellable once sent: a lock taken by a call nobody waits for would block the upload for a TTL.
                var reply = await Client.EvalAsync(
                    RedisScripts.Acquire,
                    [Keys.Lock(uploadId), Keys.Fence(uploadId), Keys.Record(uploadId)],
                    [LeaseTtlMilliseconds, Keys.HandOverChannel(uploadId)],
                    CancellationToken.None);
                if (reply is { Type: RespType.Array, Elements: [var fence, var json] })
                {
                    var token = long.Parse(fence.AsString() ?? string.Empty, NumberStyles.None, CultureInfo.InvariantCulture);
                    UploadRecord? record;
                    try
                    {
                        record = Deserialize(uploadId, json.Bulk);
                    }
                    catch (CoordinationUnavailableException)
                    {
                        await ReleaseAsync(uploadId, fence.AsString()!);
                        throw;
                    }

                    var lease = new RedisUploadLease(this, uploadId, token, record, attemptStarted);
                    _leases[uploadId] = lease;
                    lease.StartKeepAlive();
                    return lease;
                }

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

    public async ValueTask<IReadOnlyList<ExpiryEntry>> ReadExpiredAsync(DateTimeOffset upTo, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        var reply = await Client.ReadAsync(
            [
                "ZRANGEBYSCORE", Keys.Expiry, "-inf", upTo.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                "WITHSCORES", "LIMIT", "0", limit.ToString(CultureInfo.InvariantCulture),
            ],
            cancellationToken);
        var elements = reply.Elements ?? [];
        var entries = new List<ExpiryEntry>(elements.Count / 2);
        for (var i = 0; i + 1 < elements.Count; i += 2)
        {
            var id = elements[i].AsString() ?? string.Empty;
            var score = double.Parse(elements[i + 1].AsString() ?? "0", NumberStyles.Float, CultureInfo.InvariantCulture);
            entries.Add(new ExpiryEntry(id, DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(score))));
        }

        return entries;
    }

    public async ValueTask<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.CommandTimeout + Options.ConnectTimeout);
        try
        {
            var reply = await Client.ReadAsync(["PING"], timeout.Token);
            return reply.AsString() == "PONG";
        }
        catch (CoordinationUnavailableException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Deletes the lock if it still holds <paramref name="token"/> and announces the release (best effort).</summary>
    internal async Task ReleaseAsync(string uploadId, string token)
    {
        try
        {
            await Client.EvalAsync(RedisScripts.Release, [Keys.Lock(uploadId)], [token, Keys.ReleasedChannel(uploadId)], CancellationToken.None);
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

    private void OnMessage(string channel, string payload)
    {
        if (channel.StartsWith(Keys.HandOverPrefix, StringComparison.Ordinal))
        {
            if (_leases.TryGetValue(channel[Keys.HandOverPrefix.Length..], out var lease))
            {
                // The holder's callbacks run on the thread pool, never on the subscriber's read loop.
                ThreadPool.QueueUserWorkItem(static l => l.RequestHandOver(), lease, preferLocal: false);
            }
        }
        else if (channel.StartsWith(Keys.ReleasedPrefix, StringComparison.Ordinal))
        {
            _releases.Signal(channel[Keys.ReleasedPrefix.Length..]);
        }
        else
        {
            _logger.LogDebug("Ignoring a message on {Channel}.", channel);
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

        await _subscriber.DisposeAsync();
        await Client.DisposeAsync();
    }
}
