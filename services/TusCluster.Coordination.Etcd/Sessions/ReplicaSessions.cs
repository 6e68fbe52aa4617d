using TusCluster.Coordination.Etcd.Grpc;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Etcd.Sessions;

/// <summary>
/// Grants this replica's etcd lease when one is needed and keeps it alive with dotnet-etcd's keep-alive
/// stream, which renews every third of the TTL and cancels its source when a renewal goes unanswered
/// within the answer bound, when etcd answers that the lease is gone (TTL 0) or when the stream ends.
/// Then etcd is asked once how long the lease has left: if it still exists (the stream broke, say, when a
/// member went away), a new keep-alive stream takes over; if it is gone or etcd does not answer within
/// the same bound, the session is lost. The last renewal was at most a third of a TTL before the
/// unanswered one, so holders learn it before etcd drops their locks. A lost lease is revoked (its
/// locks may still be there) and the next acquisition grants a new one.
/// </summary>
internal sealed partial class ReplicaSessions(EtcdConnection etcd, TimeSpan ttl) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private ReplicaSession? _current;
    private CancellationTokenSource? _keepAlive;
    private volatile bool _suspended;

    public ReplicaSession? Current => _current is { IsLost: false } session ? session : null;

    public async ValueTask<ReplicaSession> GetAsync(CancellationToken cancellationToken)
    {
        if (Current is { } current)
        {
            return current;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Current is { } fresh)
            {
                return fresh;
            }

            ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
            var grant = await etcd.LeaseGrantAsync((long)ttl.TotalSeconds, cancellationToken);
            if (!string.IsNullOrEmpty(grant.Error) || grant.ID == 0)
            {
                throw new CoordinationUnavailableException($"etcd did not grant a lease: {grant.Error}");
            }

            var session = new ReplicaSession(grant.ID);
            _suspended = false;
            StartKeepAlive(session);
            _current = session;
            return session;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Test hook: stops renewing, as a hung replica would; it notices when its next renewal would have failed.</summary>
    internal void SuspendKeepAlive()
    {
        _suspended = true;
        _keepAlive?.Cancel();
    }

    /// <summary>Test hook: revokes the lease behind the replica's back, as an expiry would.</summary>
    internal async Task RevokeAsync(CancellationToken cancellationToken)
    {
        if (_current is { } session)
        {
            await etcd.LeaseRevokeAsync(session.LeaseId, etcd.RequestTimeout, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync();
        _keepAlive?.Dispose();
        if (Current is { } session)
        {
            // Releases every lock this replica still holds at once instead of after the TTL.
            try
            {
                await etcd.LeaseRevokeAsync(session.LeaseId, TimeSpan.FromSeconds(1), CancellationToken.None);
            }
            catch (CoordinationUnavailableException)
            {
                // The lease expires after its TTL anyway.
            }

            session.MarkLost();
        }
    }
}
