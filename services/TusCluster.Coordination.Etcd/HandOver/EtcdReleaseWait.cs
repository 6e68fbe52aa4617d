using Google.Protobuf;
using TusCluster.Coordination.Etcd.Grpc;
using TusCluster.Coordination.Etcd.Locks;

namespace TusCluster.Coordination.Etcd.HandOver;

/// <summary>
/// One acquirer's wait for a lock's release: a watch of the lock key opened at the first wait, from the
/// revision after the one at which the lock was seen taken (so no release in between is missed). Until etcd
/// confirms the watch, waits are short polls.
/// </summary>
internal sealed class EtcdReleaseWait(EtcdConnection etcd, ByteString lockKey) : IReleaseWait<AcquireAttempt>
{
    private static readonly TimeSpan UnwatchedPoll = TimeSpan.FromMilliseconds(50);

    private ReleaseWatch? _watch;

    public void Arm()
    {
        // The watch starts at a revision, not at the moment of arming: nothing to do.
    }

    public Task WaitAsync(AcquireAttempt holder, TimeSpan longest, CancellationToken cancellationToken)
    {
        _watch ??= new ReleaseWatch(etcd, lockKey, holder.SeenAtRevision + 1);
        return _watch.WaitAsync(_watch.IsCreated || longest < UnwatchedPoll ? longest : UnwatchedPoll, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _watch?.Dispose();
        return ValueTask.CompletedTask;
    }
}
