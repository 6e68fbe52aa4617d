using System.Collections.Concurrent;
using System.Diagnostics;
using Google.Protobuf;
using TusCluster.Coordination.Etcd.Grpc;
using TusCluster.Coordination.Etcd.Keys;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Etcd.Locks;

/// <summary>
/// Lock removals that could not reach etcd: a release (guarded by the token) or an abandoned attempt
/// (guarded by its value) is tried again every <paramref name="period"/> until it gets through. Until
/// then the lock lives only as long as the replica's etcd lease. The first retry comes soon (etcd is
/// often back at once after a timeout), later ones back off to the period.
/// </summary>
internal sealed class PendingReleases(EtcdConnection etcd, EtcdKeys keys, TimeSpan period) : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentDictionary<string, Entry> _pending = new(StringComparer.Ordinal);
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
            Add($"{uploadId}#{token}", new Entry(txn, 0));
        }
    }

    /// <summary>
    /// Removes the lock if <paramref name="attempt"/> wrote it. etcd may still apply an attempt it received
    /// before (a request it has read but not yet proposed), so the removal is repeated until it went
    /// through at least <see cref="Settle"/> after the attempt was given up.
    /// </summary>
    public void Abandon(string uploadId, ByteString attempt) =>
        Add($"{uploadId}@{attempt.ToStringUtf8()}", new Entry(LockTransactions.Abandon(keys, uploadId, attempt), Stopwatch.GetTimestamp() + (long)(Settle.TotalSeconds * Stopwatch.Frequency)));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_retries is { } retries)
        {
            await retries.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _stop.Dispose();
    }

    private TimeSpan Settle => etcd.RequestTimeout * 2;

    private void Add(string key, Entry entry)
    {
        _pending[key] = entry;
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
        var delay = FirstRetry;
        while (!_pending.IsEmpty)
        {
            await Task.Delay(delay, cancellationToken);
            delay = delay * 2 < period ? delay * 2 : period;
            foreach (var (key, entry) in _pending)
            {
                try
                {
                    await etcd.TxnAsync(entry.Txn, cancellationToken);
                    if (Stopwatch.GetTimestamp() >= entry.SettledAt)
                    {
                        _pending.TryRemove(key, out _);
                    }
                }
                catch (CoordinationUnavailableException)
                {
                    break;
                }
            }
        }
    }

    /// <param name="SettledAt">The <see cref="Stopwatch"/> timestamp before which a removal that went through is repeated.</param>
    private sealed record Entry(Etcdserverpb.TxnRequest Txn, long SettledAt);
}
