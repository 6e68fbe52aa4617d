using Etcdserverpb;
using Google.Protobuf;
using TusCluster.Coordination.Etcd.Grpc;

namespace TusCluster.Coordination.Etcd.HandOver;

/// <summary>
/// A waiting acquirer's watch of one lock key's deletion, from the revision after the one at which it
/// found the lock taken, so a release between that read and the watch is not missed. Until etcd
/// confirmed the watch the waiter polls quickly instead.
/// </summary>
internal sealed class ReleaseWatch : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _released = new(0, int.MaxValue);
    private readonly Task<long> _created;

    public ReleaseWatch(EtcdConnection etcd, ByteString lockKey, long fromRevision)
    {
        var request = new WatchRequest
        {
            CreateRequest = new WatchCreateRequest
            {
                Key = lockKey,
                StartRevision = fromRevision,
                Filters = { WatchCreateRequest.Types.FilterType.Noput },
            },
        };
        _created = etcd.Client.WatchAsync(request, OnEvents, cancellationToken: _stop.Token);
        _ = _created.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    public bool IsCreated => _created.IsCompletedSuccessfully;

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
