using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TusCluster.Coordination.Etcd.Grpc;
using TusCluster.Coordination.Etcd.HandOver;
using TusCluster.Coordination.Etcd.Keys;
using TusCluster.Coordination.Etcd.Locks;
using TusCluster.Coordination.Etcd.Sessions;
using TusCluster.Coordination.Outbox;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Etcd;

/// <summary>
/// Coordination through etcd over gRPC (dotnet-etcd): the key layout is <see cref="EtcdKeys"/>, the lock
/// transactions are <see cref="Locks.LockTransactions"/>, the replica's etcd lease is
/// <see cref="ReplicaSessions"/> and hand-over requests arrive through <see cref="HandOverWatch"/>.
/// </summary>
internal sealed partial class EtcdUploadCoordination : IUploadCoordination, IUploadLockSteps<AcquireAttempt>, IAsyncDisposable, IDisposable
{
    private readonly EtcdConnection _etcd;
    private readonly EtcdKeys _keys;
    private readonly ILogger _logger;
    private readonly ReplicaSessions _sessions;
    private readonly HandOverWatch _handOverWatch;
    private readonly ConcurrentDictionary<string, EtcdUploadLease> _local = new(StringComparer.Ordinal);
    private readonly PendingReleases _pendingReleases;
    private readonly CancellationTokenSource _stop = new();
    private readonly string _ownerId = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private long _attempts;
    private int _disposed;

    public EtcdUploadCoordination(IOptions<EtcdCoordinationOptions> options, ILogger<EtcdUploadCoordination>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger ?? NullLogger<EtcdUploadCoordination>.Instance;
        UnreadableOutboxEntries.Track("etcd");
        var o = options.Value;
        _keys = new EtcdKeys(o.KeyPrefix);
        _etcd = new EtcdConnection(o.EffectiveEndpoints, o.Username, o.Password, o.RequestTimeout);
        _sessions = new ReplicaSessions(_etcd, TimeSpan.FromSeconds(o.LeaseTtlSeconds));
        _handOverWatch = new HandOverWatch(_etcd, _keys, RequestLocalHandOver);
        _pendingReleases = new PendingReleases(_etcd, _keys, TimeSpan.FromSeconds(o.LeaseTtlSeconds) / 3);
    }

    internal EtcdConnection Client => _etcd;

    /// <summary>The etcd lease id of the current replica session, if one is held (tests).</summary>
    internal long? SessionLeaseId => _sessions.Current?.LeaseId;

    /// <summary>Test hook: stops renewing the replica's etcd lease, as a hung replica would.</summary>
    internal void SuspendKeepAlive() => _sessions.SuspendKeepAlive();

    /// <summary>Test hook: revokes the replica's etcd lease behind its back, as an expiry would.</summary>
    internal Task RevokeSessionLeaseAsync(CancellationToken cancellationToken) => _sessions.RevokeAsync(cancellationToken);

    public async ValueTask<UploadRecord?> GetAsync(string uploadId, CancellationToken cancellationToken)
    {
        var response = await _etcd.RangeAsync(new Etcdserverpb.RangeRequest { Key = _keys.Record(uploadId) }, cancellationToken);
        return RecordCodec.Decode(response.Kvs, uploadId);
    }

    public ValueTask<IUploadLease> AcquireAsync(string uploadId, TimeSpan timeout, CancellationToken cancellationToken) =>
        UploadLockLoop.AcquireAsync(this, uploadId, timeout, cancellationToken);

    public async ValueTask<IReadOnlyList<ExpiryEntry>> ReadExpiredAsync(DateTimeOffset upTo, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        var response = await _etcd.RangeAsync(ExpiryIndex.DueRequest(_keys, upTo, limit), cancellationToken);
        return ExpiryIndex.Parse(_keys, response.Kvs);
    }

    public async ValueTask<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        var timeout = _etcd.RequestTimeout < TimeSpan.FromSeconds(2) ? _etcd.RequestTimeout : TimeSpan.FromSeconds(2);
        try
        {
            await _etcd.StatusAsync(timeout, cancellationToken);
            return true;
        }
        catch (CoordinationUnavailableException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        await _pendingReleases.DisposeAsync();
        _handOverWatch.Dispose();
        await _sessions.DisposeAsync();
        _etcd.Dispose();
        _stop.Dispose();
    }

    /// <summary>For containers disposed synchronously; blocks until the lease was revoked.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void RequestLocalHandOver(string uploadId)
    {
        if (_local.TryGetValue(uploadId, out var lease))
        {
            lease.RequestHandOver();
        }
    }
}
