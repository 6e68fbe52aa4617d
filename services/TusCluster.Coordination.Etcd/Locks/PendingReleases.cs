using System.Collections.Concurrent;
using Google.Protobuf;
using TusCluster.Coordination.Etcd.Grpc;
using TusCluster.Coordination.Etcd.Keys;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Etcd.Locks;

/// <summary>
/// Lock removals that could not reach etcd: a release (guarded by the token) or an abandoned attempt
/// (guarded by its value) is tried again every <paramref name="period"/> until it gets through. Until
/// then the lock lives only as long as the replica's etcd lease.
/// </summary>
internal sealed class PendingReleases(EtcdConnection etcd, EtcdKeys keys, TimeSpan period) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Etcdserverpb.TxnRequest> _pending = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private Task? _retries;

    /// <summary>Releases the lock now, or later when etcd cannot be reached.</summary>
    public async Task ReleaseAsync(string uploadId, long token)
    {
        var txn = LockTransactions.Release(keys, uploadId, token);
        try
        {
            await etcd.TxnAsync(txn, CancellationToken.None);
        }
        catch (CoordinationUnavailableException)
        {
            Add($"{uploadId}#{token}", txn);
        }
    }

    /// <summary>Removes the lock later if <paramref name="attempt"/> wrote it.</summary>
    public void Abandon(string uploadId, ByteString attempt) =>
        Add($"{uploadId}@{attempt.ToStringUtf8()}", LockTransactions.Abandon(keys, uploadId, attempt));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_retries is { } retries)
        {
            await retries.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _stop.Dispose();
    }

    private void Add(string key, Etcdserverpb.TxnRequest txn)
    {
        _pending[key] = txn;
        lock (_gate)
        {
            if (_retries is null or { IsCompleted: true } && !_stop.IsCancellationRequested)
            {
                _retries = Task.Run(() => RetryAsync(_stop.Token));
            }
        }
    }

    private async Task RetryAsync(CancellationToken cancellationToken)
    {
        while (!_pending.IsEmpty)
        {
            await Task.Delay(period, cancellationToken);
            foreach (var (key, txn) in _pending)
            {
                try
                {
                    await etcd.TxnAsync(txn, cancellationToken);
                    _pending.TryRemove(key, out _);
                }
                catch (CoordinationUnavailableException)
                {
                    break;
                }
            }
        }
    }
}
