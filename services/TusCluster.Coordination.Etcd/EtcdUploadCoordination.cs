using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TusCluster.Coordination.Etcd.Gateway;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Etcd;

/// <summary>
/// Coordination through etcd. Keys under the configured prefix:
/// <c>locks/&lt;id&gt;</c> (attached to this replica's etcd lease; its create revision is the fencing
/// token), <c>records/&lt;id&gt;</c> (the record as JSON), <c>handover/&lt;id&gt;</c> (written by a
/// request that wants a held upload; the holder's replica watches the prefix) and
/// <c>expiry/&lt;16-digit Unix ms&gt;/&lt;id&gt;</c> (the expiry index, in time order by key).
/// </summary>
internal sealed class EtcdUploadCoordination : IUploadCoordination, IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan HandOverRepeat = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan WatchedWait = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan PollWait = TimeSpan.FromMilliseconds(50);

    private readonly EtcdClient _client;
    private readonly string _prefix;
    private readonly TimeSpan _ttl;
    private readonly long _ttlSeconds;
    private readonly string _ownerId = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private readonly SemaphoreSlim _sessionGate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, EtcdUploadLease> _local = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string UploadId, long Token), bool> _pendingReleases = new();
    private readonly Lock _startGate = new();
    private ReplicaSession? _session;
    private Task? _keepAlive;
    private Task? _handOverLoop;
    private EtcdWatchStream? _handOverWatch;
    private long _attempts;
    private volatile bool _keepAliveSuspended;
    private int _disposed;

    public EtcdUploadCoordination(IOptions<EtcdCoordinationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        var problems = o.Validate();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(EtcdCoordinationOptions.SectionName, typeof(EtcdCoordinationOptions), problems);
        }

        _prefix = o.KeyPrefix;
        _ttlSeconds = o.LeaseTtlSeconds;
        _ttl = TimeSpan.FromSeconds(_ttlSeconds);
        _client = new EtcdClient([.. o.EffectiveEndpoints.Select(e => new Uri(e))], o.Username, o.Password, o.RequestTimeout);
    }

    internal EtcdClient Client => _client;

    /// <summary>The etcd lease id of the current replica session, if one is held (tests).</summary>
    internal long? SessionLeaseId => _session is { IsLost: false } s ? s.LeaseId : null;

    /// <summary>Test hook: stops renewing the replica's etcd lease, as a hung replica would.</summary>
    internal void SuspendKeepAlive() => _keepAliveSuspended = true;

    internal void ResumeKeepAlive() => _keepAliveSuspended = false;

    public async ValueTask<UploadRecord?> GetAsync(string uploadId, CancellationToken cancellationToken)
    {
        var response = await _client.RangeAsync(new EtcdRangeRequest { Key = RecordKey(uploadId) }, cancellationToken);
        return ParseRecord(response, uploadId);
    }

    public async ValueTask<IUploadLease> AcquireAsync(string uploadId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var lockKey = LockKey(uploadId);
        var recordKey = RecordKey(uploadId);
        var handOverKey = HandOverKey(uploadId);
        var started = Stopwatch.GetTimestamp();
        var lastHandOver = 0L;
        EtcdWatchStream? release = null;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var session = await SessionAsync(cancellationToken);
                var value = Encoding.UTF8.GetBytes($"{_ownerId}#{Interlocked.Increment(ref _attempts).ToString(CultureInfo.InvariantCulture)}");
                EtcdTxnResponse response;
                try
                {
                    // Take the lock and read the record in one round trip; a stale hand-over request goes with it.
                    response = await _client.TxnAsync(
                        new EtcdTxnRequest
                        {
                            Compare = [EtcdCompare.CreateRevisionEquals(lockKey, 0)],
                            Success =
                            [
                                EtcdRequestOp.Put(new EtcdPutRequest { Key = lockKey, Value = value, Lease = session.LeaseId }),
                                EtcdRequestOp.Range(new EtcdRangeRequest { Key = recordKey }),
                                EtcdRequestOp.Delete(new EtcdDeleteRangeRequest { Key = handOverKey }),
                            ],
                            Failure = [EtcdRequestOp.Range(new EtcdRangeRequest { Key = lockKey })],
                        },
                        cancellationToken);
                }
                catch (CoordinationUnavailableException e) when (EtcdErrorException.IsLeaseNotFoundIn(e))
                {
                    // The replica's etcd lease expired unnoticed: its holders are lost; take a new one.
                    session.MarkLost();
                    continue;
                }
                catch (Exception e) when (e is CoordinationUnavailableException or OperationCanceledException)
                {
                    // The lock may have been written; remove it if it is this attempt's, without waiting.
                    Abandon(lockKey, value);
                    throw;
                }

                if (response.Succeeded)
                {
                    var token = response.Header?.Revision ?? throw new CoordinationUnavailableException("etcd answered a transaction without a revision.");
                    var record = ParseRecord(response.Responses is [_, { ResponseRange: { } range }, ..] ? range : null, uploadId);
                    var lease = new EtcdUploadLease(this, uploadId, token, record, session);
                    _local[uploadId] = lease;
                    return lease;
                }

                if (response.Responses is [{ ResponseRange.Kvs: [var holder, ..] }, ..])
                {
                    if (_local.TryGetValue(uploadId, out var local) && local.FencingToken == holder.CreateRevision)
                    {
                        local.RequestHandOver();
                    }
                    else if (lastHandOver == 0 || Stopwatch.GetElapsedTime(lastHandOver) >= HandOverRepeat)
                    {
                        await _client.PutAsync(new EtcdPutRequest { Key = handOverKey, Value = Encoding.UTF8.GetBytes(_ownerId) }, cancellationToken);
                        lastHandOver = Stopwatch.GetTimestamp();
                    }
                }
                else
                {
                    // Released between the compare and the read: try again at once.
                    continue;
                }

                var remaining = timeout - Stopwatch.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero)
                {
                    throw new LockTimeoutException($"Upload {uploadId} stayed locked for {timeout}.");
                }

                release ??= _client.Watch(lockKey, null, (response.Header?.Revision ?? 0) + 1);
                var wait = release.IsConnected ? WatchedWait : PollWait;
                await WaitForDeletionAsync(release, remaining < wait ? remaining : wait, cancellationToken);
            }
        }
        finally
        {
            if (release is not null)
            {
                await release.DisposeAsync();
            }
        }
    }

    public async ValueTask<IReadOnlyList<ExpiryEntry>> ReadExpiredAsync(DateTimeOffset upTo, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        var from = Encoding.UTF8.GetBytes(_prefix + "expiry/");
        var until = Math.Min(FloorMilliseconds(upTo), MaxMilliseconds - 1) + 1;
        var response = await _client.RangeAsync(
            new EtcdRangeRequest { Key = from, RangeEnd = Encoding.UTF8.GetBytes($"{_prefix}expiry/{Pad(until)}"), Limit = limit },
            cancellationToken);
        var entries = new List<ExpiryEntry>();
        foreach (var kv in response.Kvs ?? [])
        {
            var key = Encoding.UTF8.GetString(kv.Key.AsSpan(from.Length));
            if (key.Length == 16 + 1 + UploadId.Length
                && long.TryParse(key.AsSpan(0, 16), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                && key[16] == '/'
                && UploadId.IsValid(key.AsSpan(17)))
            {
                entries.Add(new ExpiryEntry(key[17..], DateTimeOffset.FromUnixTimeMilliseconds(ms)));
            }
        }

        return entries;
    }

    public async ValueTask<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        var timeout = _client.RequestTimeout < TimeSpan.FromSeconds(2) ? _client.RequestTimeout : TimeSpan.FromSeconds(2);
        try
        {
            await _client.StatusAsync(timeout, cancellationToken);
            return true;
        }
        catch (CoordinationUnavailableException)
        {
            return false;
        }
    }

    /// <summary>Test hook: revokes the replica's etcd lease behind its back, as an expiry would.</summary>
    internal async Task RevokeSessionLeaseAsync(CancellationToken cancellationToken)
    {
        if (_session is { } session)
        {
            await _client.LeaseRevokeAsync(session.LeaseId, cancellationToken);
        }
    }

    internal async Task CommitAsync(EtcdUploadLease lease, UploadRecord record, bool release, CancellationToken cancellationToken)
    {
        await EnsureRecordKnownAsync(lease, cancellationToken);
        var json = JsonSerializer.SerializeToUtf8Bytes(record, RecordJsonContext.Default.UploadRecord);
        var oldExpiry = lease.Record?.ExpiresAt is { } before ? ExpiryKey(lease.UploadId, before) : null;
        var newExpiry = record.ExpiresAt is { } after ? ExpiryKey(lease.UploadId, after) : null;
        var success = new List<EtcdRequestOp> { EtcdRequestOp.Put(new EtcdPutRequest { Key = RecordKey(lease.UploadId), Value = json }) };
        if (oldExpiry is not null && (newExpiry is null || !oldExpiry.AsSpan().SequenceEqual(newExpiry)))
        {
            success.Add(EtcdRequestOp.Delete(new EtcdDeleteRangeRequest { Key = oldExpiry }));
        }

        if (newExpiry is not null)
        {
            success.Add(EtcdRequestOp.Put(new EtcdPutRequest { Key = newExpiry, Value = [] }));
        }

        if (release)
        {
            // Commit and release in one transaction: the hot path of a PATCH is acquire plus this.
            success.Add(EtcdRequestOp.Delete(new EtcdDeleteRangeRequest { Key = LockKey(lease.UploadId) }));
            success.Add(EtcdRequestOp.Delete(new EtcdDeleteRangeRequest { Key = HandOverKey(lease.UploadId) }));
        }

        await GuardedTxnAsync(lease, success, "commit", cancellationToken);
    }

    internal async Task RemoveAsync(EtcdUploadLease lease, CancellationToken cancellationToken)
    {
        await EnsureRecordKnownAsync(lease, cancellationToken);
        var success = new List<EtcdRequestOp> { EtcdRequestOp.Delete(new EtcdDeleteRangeRequest { Key = RecordKey(lease.UploadId) }) };
        if (lease.Record?.ExpiresAt is { } expiresAt)
        {
            success.Add(EtcdRequestOp.Delete(new EtcdDeleteRangeRequest { Key = ExpiryKey(lease.UploadId, expiresAt) }));
        }

        await GuardedTxnAsync(lease, success, "remove", cancellationToken);
    }

    /// <summary>Forgets a lease whose lock the committing transaction already deleted.</summary>
    internal void Forget(EtcdUploadLease lease) =>
        _local.TryRemove(new KeyValuePair<string, EtcdUploadLease>(lease.UploadId, lease));

    internal async Task ReleaseAsync(EtcdUploadLease lease)
    {
        _local.TryRemove(new KeyValuePair<string, EtcdUploadLease>(lease.UploadId, lease));
        if (lease.Lost.IsCancellationRequested)
        {
            // The lock went with the replica's etcd lease.
            return;
        }

        try
        {
            await ReleaseLockAsync(lease.UploadId, lease.FencingToken, CancellationToken.None);
        }
        catch (CoordinationUnavailableException)
        {
            // Retried by the keep-alive loop; until then the lock lives as long as the replica's lease.
            _pendingReleases[(lease.UploadId, lease.FencingToken)] = true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        foreach (var task in new[] { _keepAlive, _handOverLoop })
        {
            if (task is not null)
            {
                try
                {
                    await task;
                }
                catch (OperationCanceledException)
                {
                    // Stopped.
                }
            }
        }

        if (_handOverWatch is not null)
        {
            await _handOverWatch.DisposeAsync();
        }

        if (_session is { IsLost: false } session)
        {
            // Releases every lock this replica still holds at once instead of after the TTL.
            try
            {
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await _client.LeaseRevokeAsync(session.LeaseId, quick.Token);
            }
            catch (Exception e) when (e is CoordinationUnavailableException or OperationCanceledException)
            {
                // The lease expires after its TTL anyway.
            }

            session.MarkLost();
        }

        _client.Dispose();
        _sessionGate.Dispose();
        _stop.Dispose();
    }

    /// <summary>For containers disposed synchronously; blocks until the background loops stopped and the lease was revoked.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task GuardedTxnAsync(EtcdUploadLease lease, List<EtcdRequestOp> success, string what, CancellationToken cancellationToken)
    {
        EtcdTxnResponse response;
        try
        {
            response = await _client.TxnAsync(
                new EtcdTxnRequest { Compare = [EtcdCompare.CreateRevisionEquals(LockKey(lease.UploadId), lease.FencingToken)], Success = success },
                cancellationToken);
        }
        catch (Exception e) when (e is CoordinationUnavailableException or OperationCanceledException)
        {
            // The write may or may not have happened: read the record again before the next one.
            lease.RecordKnown = false;
            throw;
        }

        if (!response.Succeeded)
        {
            throw new LeaseLostException($"The lease {lease.FencingToken} of upload {lease.UploadId} is no longer held; the {what} was not written.");
        }
    }

    private async Task EnsureRecordKnownAsync(EtcdUploadLease lease, CancellationToken cancellationToken)
    {
        if (!lease.RecordKnown)
        {
            lease.Record = await GetAsync(lease.UploadId, cancellationToken);
            lease.RecordKnown = true;
        }
    }

    private async Task ReleaseLockAsync(string uploadId, long token, CancellationToken cancellationToken)
    {
        await _client.TxnAsync(
            new EtcdTxnRequest
            {
                Compare = [EtcdCompare.CreateRevisionEquals(LockKey(uploadId), token)],
                Success =
                [
                    EtcdRequestOp.Delete(new EtcdDeleteRangeRequest { Key = LockKey(uploadId) }),
                    EtcdRequestOp.Delete(new EtcdDeleteRangeRequest { Key = HandOverKey(uploadId) }),
                ],
            },
            cancellationToken);
        _pendingReleases.TryRemove((uploadId, token), out _);
    }

    private void Abandon(byte[] lockKey, byte[] value)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                await _client.TxnAsync(
                    new EtcdTxnRequest
                    {
                        Compare = [EtcdCompare.ValueEquals(lockKey, value)],
                        Success = [EtcdRequestOp.Delete(new EtcdDeleteRangeRequest { Key = lockKey })],
                    },
                    _stop.Token);
            }
            catch (Exception e) when (e is CoordinationUnavailableException or OperationCanceledException or ObjectDisposedException)
            {
                // Best effort: a lock left behind lives only as long as the replica's etcd lease.
            }
        });
    }

    private static async Task WaitForDeletionAsync(EtcdWatchStream release, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(wait);
        try
        {
            while (await release.Events.WaitToReadAsync(timer.Token))
            {
                while (release.Events.TryRead(out var e))
                {
                    if (e.IsDelete)
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Waited long enough: try again (also covers a deletion the watch missed).
        }
    }

    private async ValueTask<ReplicaSession> SessionAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_session is { IsLost: false } current)
        {
            await HandOverWatchCreatedAsync(cancellationToken);
            return current;
        }

        await _sessionGate.WaitAsync(cancellationToken);
        try
        {
            if (_session is { IsLost: false } fresh)
            {
                return fresh;
            }

            var sentAt = Stopwatch.GetTimestamp();
            var grant = await _client.LeaseGrantAsync(_ttlSeconds, cancellationToken);
            if (!string.IsNullOrEmpty(grant.Error) || grant.Id == 0)
            {
                throw new CoordinationUnavailableException($"etcd did not grant a lease: {grant.Error}");
            }

            var session = new ReplicaSession(grant.Id, sentAt);
            _session = session;
            StartBackground();
        }
        finally
        {
            _sessionGate.Release();
        }

        await HandOverWatchCreatedAsync(cancellationToken);
        return _session;
    }

    private async Task HandOverWatchCreatedAsync(CancellationToken cancellationToken)
    {
        if (_handOverWatch is { Created.IsCompleted: false } watch)
        {
            // Hand-over requests are repeated by the waiter, so a watch that is slow to start only delays them.
            try
            {
                await watch.Created.WaitAsync(_client.RequestTimeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Carry on: the waiter's repeated request reaches the watch once it runs.
            }
        }
    }

    private void StartBackground()
    {
        lock (_startGate)
        {
            if (_keepAlive is not null)
            {
                return;
            }

            var prefix = Encoding.UTF8.GetBytes(_prefix + "handover/");
            _handOverWatch = _client.Watch(prefix, RangeEndOf(prefix), 0);
            _handOverLoop = Task.Run(() => HandOverLoopAsync(_handOverWatch, _stop.Token));
            _keepAlive = Task.Run(() => KeepAliveLoopAsync(_stop.Token));
        }
    }

    private async Task HandOverLoopAsync(EtcdWatchStream watch, CancellationToken cancellationToken)
    {
        var prefixLength = Encoding.UTF8.GetByteCount(_prefix + "handover/");
        await foreach (var e in watch.Events.ReadAllAsync(cancellationToken))
        {
            if (e.IsDelete || e.Kv is not { } kv || kv.Key.Length <= prefixLength)
            {
                continue;
            }

            var id = Encoding.UTF8.GetString(kv.Key.AsSpan(prefixLength));
            if (_local.TryGetValue(id, out var lease))
            {
                lease.RequestHandOver();
            }
        }
    }

    private async Task KeepAliveLoopAsync(CancellationToken cancellationToken)
    {
        var period = _ttl / 3;
        while (!cancellationToken.IsCancellationRequested)
        {
            // Wake up every TTL/3, and exactly when the current session would run out, so that Lost fires
            // no later than etcd drops the lease.
            var delay = period;
            if (_session is { IsLost: false } current)
            {
                var left = _ttl - Stopwatch.GetElapsedTime(current.RenewedAt);
                delay = left < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : left < delay ? left : delay;
            }

            try
            {
                await Task.Delay(delay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (_session is { IsLost: false } session)
            {
                if (!_keepAliveSuspended)
                {
                    await RenewAsync(session, period, cancellationToken);
                }

                if (!session.IsLost && Stopwatch.GetElapsedTime(session.RenewedAt) >= _ttl)
                {
                    // Not renewed for a whole TTL: etcd has dropped (or is about to drop) the locks.
                    LoseSession(session);
                }
            }

            foreach (var ((uploadId, token), _) in _pendingReleases)
            {
                try
                {
                    await ReleaseLockAsync(uploadId, token, cancellationToken);
                }
                catch (CoordinationUnavailableException)
                {
                    break;
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task RenewAsync(ReplicaSession session, TimeSpan bound, CancellationToken cancellationToken)
    {
        var sentAt = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(bound);
        try
        {
            var result = await _client.LeaseKeepAliveAsync(session.LeaseId, timeout.Token);
            if (result.Ttl > 0)
            {
                session.Renewed(sentAt);
            }
            else
            {
                LoseSession(session);
            }
        }
        catch (CoordinationUnavailableException)
        {
            // Counted against the TTL by the caller.
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Too slow to count: same as a failure.
        }
    }

    private void LoseSession(ReplicaSession session)
    {
        if (!session.MarkLost())
        {
            return;
        }

        // Locks of a lease that may still exist in etcd (it was unreachable) block others until it expires: revoke it.
        _ = Task.Run(async () =>
        {
            try
            {
                await _client.LeaseRevokeAsync(session.LeaseId, _stop.Token);
            }
            catch (Exception e) when (e is CoordinationUnavailableException or OperationCanceledException or ObjectDisposedException)
            {
                // It expires after its TTL anyway.
            }
        });
    }

    private static UploadRecord? ParseRecord(EtcdRangeResponse? response, string uploadId)
    {
        if (response?.Kvs is not [var kv, ..] || kv.Value is not { Length: > 0 } json)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(json, RecordJsonContext.Default.UploadRecord);
        }
        catch (JsonException e)
        {
            throw new CoordinationUnavailableException($"The record of upload {uploadId} in etcd is unreadable.", e);
        }
    }

    private const long MaxMilliseconds = 9_999_999_999_999_999;

    private static long FloorMilliseconds(DateTimeOffset time) => Math.Clamp(time.ToUnixTimeMilliseconds(), 0, MaxMilliseconds);

    private static long CeilingMilliseconds(DateTimeOffset time)
    {
        var floor = time.ToUnixTimeMilliseconds();
        var ceiling = DateTimeOffset.FromUnixTimeMilliseconds(floor) < time ? floor + 1 : floor;
        return Math.Clamp(ceiling, 0, MaxMilliseconds);
    }

    private static string Pad(long milliseconds) => milliseconds.ToString("D16", CultureInfo.InvariantCulture);

    /// <summary>The first key after every key that starts with <paramref name="prefix"/>.</summary>
    internal static byte[] RangeEndOf(byte[] prefix)
    {
        var end = (byte[])prefix.Clone();
        for (var i = end.Length - 1; i >= 0; i--)
        {
            if (end[i] < 0xff)
            {
                end[i]++;
                return end[..(i + 1)];
            }
        }

        return [0];
    }

    // The expiry key rounds up to the millisecond, so an upload is never reported before it expired.
    internal byte[] ExpiryKey(string uploadId, DateTimeOffset expiresAt) =>
        Encoding.UTF8.GetBytes($"{_prefix}expiry/{Pad(CeilingMilliseconds(expiresAt))}/{uploadId}");

    private byte[] LockKey(string uploadId) => Key("locks/", uploadId);

    private byte[] RecordKey(string uploadId) => Key("records/", uploadId);

    private byte[] HandOverKey(string uploadId) => Key("handover/", uploadId);

    private byte[] Key(string kind, string uploadId) =>
        UploadId.IsValid(uploadId)
            ? Encoding.UTF8.GetBytes(_prefix + kind + uploadId)
            : throw new ArgumentException($"'{uploadId}' is not an upload id.", nameof(uploadId));
}
