using Etcdserverpb;
using Google.Protobuf;
using TusCluster.Coordination.Etcd.Grpc;

namespace TusCluster.Coordination.Etcd.HandOver;

/// <summary>
/// A waiting acquirer's watch of one lock key's deletion, from the revision at which etcd creates it. A watch
/// from now is "synced" in etcd: the deletion is sent as it commits. A watch from an earlier revision is first
/// caught up by etcd's background sync, which runs every 100 ms: that cost ~50 ms per hand-over. A release
/// before the watch existed is not seen here; the acquire loop tries again once the watch is confirmed.
/// </summary>
internal sealed class ReleaseWatch : IDisposable
{
    private readonly EtcdConnection _etcd;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _released = new(0, int.MaxValue);
    private readonly Task<long> _created;

    public ReleaseWatch(EtcdConnection etcd, ByteString lockKey)
    {
        _etcd = etcd;
        var request = new WatchRequest
        {
            CreateRequest = new WatchCreateRequest
            {
                Key = lockKey,
                Filters = { WatchCreateRequest.Types.FilterType.Noput },
            },
        };
        _created = etcd.Client.WatchAsync(request, OnEvents, cancellationToken: _stop.Token);
        _ = _created.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    public bool IsCreated => _created.IsCompletedSuccessfully;

    /// <summary>Waits until etcd confirmed the watch, or failed to, or <paramref name="wait"/> passed.</summary>
    public async Task WaitCreatedAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            await _created.WaitAsync(wait, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or global::Grpc.Core.RpcException or InvalidOperationException or ObjectDisposedException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Unconfirmed: the waiter polls instead.
        }
    }

    /// <summary>Waits until the lock key was deleted or <paramref name="wait"/> passed.</summary>
    public async Task WaitAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (await _released.WaitAsync(wait, cancellationToken))
        {
            // Several deletions count as one release.
            while (_released.CurrentCount > 0 && _released.Wait(0))
            {
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        if (IsCreated)
        {
            // Ends the watch in etcd too: cancelling its callback alone would leave it registered there (and
            // re-registered by the library after every reconnect) for the life of the replica.
            try
            {
                _etcd.Client.CancelWatch(_created.Result);
            }
            catch (ObjectDisposedException)
            {
                // The replica's client is gone, and its watches with it.
            }
        }

        _stop.Dispose();
        _released.Dispose();
    }

    private void OnEvents(WatchResponse response)
    {
        if (response.Events.Count > 0)
        {
            try
            {
                _released.Release();
            }
            catch (ObjectDisposedException)
            {
                // The waiter finished meanwhile.
            }
        }
    }
}
