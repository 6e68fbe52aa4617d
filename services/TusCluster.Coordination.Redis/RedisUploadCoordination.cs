using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TusCluster.Coordination.Outbox;
using TusCluster.Coordination.Redis.Connection;
using TusCluster.Coordination.Redis.Outbox;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Redis;

/// <summary>
/// Coordination through Redis: a lock key per upload holding its fencing token (drawn by INCR), the
/// record as JSON, one sorted set as expiry index, the outbox beside them (<see cref="RedisEventOutbox"/>).
/// Hand-over requests and release notices travel over pub/sub. One <see cref="ConnectionMultiplexer"/> per instance (the container holds one instance per
/// process) carries commands, scripts and the pattern subscriptions, and reconnects by itself.
/// </summary>
internal sealed class RedisUploadCoordination : IUploadCoordination, IEventOutbox, IUploadLockSteps<RedisLockHolder>, IAsyncDisposable
{
    /// <summary>How often a waiting acquirer retries when no release notice arrives (lost messages).</summary>
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentDictionary<string, RedisUploadLease> _leases = new(StringComparer.Ordinal);
    private readonly ReleaseSignals _releases = new();
    private readonly RedisConnection _connection;
    private readonly RedisEventOutbox _outbox;
    private int _disposed;

    public RedisUploadCoordination(IOptions<RedisCoordinationOptions> options, ILogger<RedisUploadCoordination> logger)
    {
        Options = options.Value;
        Keys = new RedisKeys(Options.KeyPrefix);
        LeaseTtlMilliseconds = (long)Options.LeaseTtl.TotalMilliseconds;
        _connection = new RedisConnection(Options, [Keys.HandOverPattern, Keys.ReleasedPattern], OnMessage, logger);
        _outbox = new RedisEventOutbox(_connection, Keys, logger);
        UnreadableOutboxEntries.Track("redis");
    }

    internal RedisCoordinationOptions Options { get; }

    internal RedisKeys Keys { get; }

    internal IDatabase Database => _connection.Database;

    internal long LeaseTtlMilliseconds { get; }

    /// <summary>Set when a server turned out to be a Redis Cluster node, which this backend refuses.</summary>
    internal string? UnsupportedServer => _connection.UnsupportedServer;

    /// <summary>Completes once both patterns are subscribed (hand-over requests sent before may be missed, and are repeated).</summary>
    internal Task Subscribed => _connection.Subscribed;

    public async ValueTask<UploadRecord?> GetAsync(string uploadId, CancellationToken cancellationToken)
    {
        RequireId(uploadId);
        _connection.ThrowIfUnsupported();
        // A read may be abandoned: its reply is dropped when it comes.
        var json = await RedisFailures.RunAsync(() => Database.StringGetAsync(Keys.Record(uploadId)), "GET").WaitAsync(cancellationToken);
        return Deserialize(uploadId, (byte[]?)json);
    }

    /// <summary>The kit's acquire loop over this backend's steps: the acquire script, a PUBLISH to the holder, a release notice.</summary>
    public ValueTask<IUploadLease> AcquireAsync(string uploadId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        RequireId(uploadId);
        return UploadLockLoop.AcquireAsync(this, uploadId, timeout, cancellationToken);
    }

    /// <summary>A request can be lost only while the holder's subscription reconnects; repeat it now and then.</summary>
    TimeSpan IUploadLockSteps<RedisLockHolder>.HandOverRepeat => TimeSpan.FromMilliseconds(500);

    TimeSpan IUploadLockSteps<RedisLockHolder>.PollInterval => PollInterval;

    IReleaseWait<RedisLockHolder> IUploadLockSteps<RedisLockHolder>.ListenForRelease(string uploadId) =>
        new ReleaseSignalWait<RedisLockHolder>(_releases, uploadId);

    async ValueTask<LockAttempt<RedisLockHolder>> IUploadLockSteps<RedisLockHolder>.TryAcquireAsync(string uploadId, CancellationToken cancellationToken) =>
        await TryAcquireAsync(uploadId) is { } lease ? LockAttempt<RedisLockHolder>.Acquired(lease) : LockAttempt<RedisLockHolder>.HeldBy(default);

    async ValueTask<bool> IUploadLockSteps<RedisLockHolder>.RequestHandOverAsync(string uploadId, RedisLockHolder holder, CancellationToken cancellationToken)
    {
        await RequestHandOverAsync(uploadId);
        return true;
    }

    /// <summary>Takes the lock if it is free and returns the running lease; null while another holds it.</summary>
    private async Task<RedisUploadLease?> TryAcquireAsync(string uploadId)
    {
        _connection.ThrowIfUnsupported();
        var attemptStarted = Environment.TickCount64;

        // Not cancellable once sent: a lock taken by a call nobody waits for would block the upload for a TTL.
        var reply = await RedisFailures.RunAsync(
            () => Database.ScriptEvaluateAsync(
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
    private Task RequestHandOverAsync(string uploadId) => _connection.PublishAsync(Keys.HandOverChannel(uploadId), "1");

    public async ValueTask<IReadOnlyList<ExpiryEntry>> ReadExpiredAsync(DateTimeOffset upTo, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        _connection.ThrowIfUnsupported();
        var entries = await RedisFailures.RunAsync(
            () => Database.SortedSetRangeByScoreWithScoresAsync(Keys.Expiry, double.NegativeInfinity, upTo.ToUnixTimeMilliseconds(), take: limit),
            "ZRANGEBYSCORE").WaitAsync(cancellationToken);
        return [.. entries.Select(e => new ExpiryEntry((string)e.Element!, DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(e.Score))))];
    }

    public ValueTask<IReadOnlyList<OutboxEntry>> ReadDueEventsAsync(DateTimeOffset upTo, int limit, CancellationToken cancellationToken) =>
        _outbox.ReadDueAsync(upTo, limit, cancellationToken);

    public ValueTask PostponeEventAsync(OutboxEntry entry, DateTimeOffset dueAt, CancellationToken cancellationToken) =>
        _outbox.PostponeAsync(entry, dueAt, cancellationToken);

    public ValueTask DeleteEventAsync(OutboxEntry entry, CancellationToken cancellationToken) =>
        _outbox.DeleteAsync(entry, cancellationToken);

    public async ValueTask<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        if (UnsupportedServer is not null)
        {
            return false;
        }

        try
        {
            await RedisFailures.RunAsync(() => Database.PingAsync(), "PING").WaitAsync(Options.CommandTimeout + Options.ConnectTimeout, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is CoordinationUnavailableException or TimeoutException)
        {
            return false;
        }
    }

    /// <inheritdoc cref="RedisConnection.RunReplicatedAsync"/>
    internal Task<RedisResult> RunReplicatedAsync(Func<IDatabaseAsync, Task<RedisResult>> write, string what) => _connection.RunReplicatedAsync(write, what);

    /// <summary>Deletes the lock if it still holds <paramref name="token"/> and announces the release (best effort).</summary>
    internal async Task ReleaseAsync(string uploadId, string token)
    {
        try
        {
            await RedisFailures.RunAsync(
                () => Database.ScriptEvaluateAsync(RedisScripts.Release, [Keys.Lock(uploadId)], [token, Keys.ReleasedChannel(uploadId)], CommandFlags.CommandRetryNever),
                "the release script");
        }
        catch (Exception e) when (e is CoordinationUnavailableException or ObjectDisposedException)
        {
            // Redis is unreachable (or the coordination is gone): the lock expires by itself after the TTL.
        }
    }

    internal void Forget(RedisUploadLease lease) =>
        _leases.TryRemove(new KeyValuePair<string, RedisUploadLease>(lease.UploadId, lease));

    internal static UploadRecord? Deserialize(string uploadId, byte[]? json) =>
        json is null ? null : UploadRecordJson.Deserialize(uploadId, json, "Redis");

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

    private static void RequireId(string uploadId)
    {
        if (!UploadId.IsValid(uploadId))
        {
            throw new ArgumentException($"'{uploadId}' is not an upload id.", nameof(uploadId));
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The container may dispose it twice: as itself and through the factories of its interfaces.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var lease in _leases.Values)
        {
            await lease.DisposeAsync();
        }

        await _connection.DisposeAsync();
    }
}
