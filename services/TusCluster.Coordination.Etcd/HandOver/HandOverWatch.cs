using Etcdserverpb;
using Mvccpb;
using TusCluster.Coordination.Etcd.Grpc;
using TusCluster.Coordination.Etcd.Keys;

namespace TusCluster.Coordination.Etcd.HandOver;

/// <summary>
/// This replica's watch of the <c>handover/</c> prefix: a request that wants an upload held here writes
/// its hand-over key, and the holder is asked to hand over. dotnet-etcd's watch manager re-creates the
/// watch from the next revision after a disconnect; waiters repeat their requests, so one that arrives
/// while it reconnects is not lost.
/// </summary>
internal sealed class HandOverWatch(EtcdConnection etcd, EtcdKeys keys, Action<string> requestHandOver) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private Task? _created;

    /// <summary>Starts the watch unless it runs, and waits (bounded) until etcd created it.</summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        Task created;
        lock (_gate)
        {
            if (_created is null || _created.IsFaulted || _created.IsCanceled)
            {
                _created = CreateAsync();
            }

            created = _created;
        }

        try
        {
            await created.WaitAsync(etcd.RequestTimeout, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or global::Grpc.Core.RpcException or InvalidOperationException or ObjectDisposedException)
        {
            // Carry on: the waiters' repeated requests reach the holder once the watch runs.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private Task<long> CreateAsync()
    {
        var prefix = keys.HandOverPrefix;
        var request = new WatchRequest
        {
            CreateRequest = new WatchCreateRequest
            {
                Key = prefix,
                RangeEnd = EtcdKeys.RangeEndOf(prefix),
                Filters = { WatchCreateRequest.Types.FilterType.Nodelete },
            },
        };
        return etcd.Client.WatchAsync(request, response => Deliver(response, prefix), cancellationToken: _stop.Token);
    }

    private void Deliver(WatchResponse response, Google.Protobuf.ByteString prefix)
    {
        foreach (var e in response.Events)
        {
            if (e.Type == Event.Types.EventType.Put && EtcdKeys.IdAfter(e.Kv.Key, prefix) is { } id)
            {
                requestHandOver(id);
            }
        }
    }
}
