using Google.Protobuf;
using TusCluster.Coordination.Etcd.Grpc;
using TusCluster.Coordination.Etcd.Locks;

namespace TusCluster.Coordination.Etcd.HandOver;

/// <summary>
/// One acquirer's wait for a lock's release: at the first wait a watch of the lock key from now is opened and,
/// once etcd confirmed it, the loop tries again at once (the release may have come before the watch); after
/// that, waits end with the key's deletion. Until etcd confirms the watch, waits are short polls.
/// </summary>
internal sealed class EtcdReleaseWait(EtcdConnection etcd, ByteString lockKey) : IReleaseWait<AcquireAttempt>
{
    private static readonly TimeSpan UnwatchedPoll = TimeSpan.FromMilliseconds(50);

    private ReleaseWatch? _watch;

    public void Arm()
    {
        // The watch counts every deletion from its creation on: nothing to do.
    }

    public Task WaitAsync(AcquireAttempt holder, TimeSpan longest, CancellationToken cancellationToken)
    {
        if (_watch is null)
        {
            _watch = new ReleaseWatch(etcd, lockKey);
            return _watch.WaitCreatedAsync(longest, cancellationToken);
        }

        return _watch.WaitAsync(_watch.IsCreated || longest < UnwatchedPoll ? longest : UnwatchedPoll, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _watch?.Dispose();
        return ValueTask.CompletedTask;
    }
}
