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
internal sealed class ReplicaSessions(EtcdConnection etcd, TimeSpan ttl) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private ReplicaSession? _current;
    private CancellationTokenSource? _keepAlive;
    private volatile bool _suspended;

    /// <summary>How long a renewal may go unanswered: a third of the TTL, or less when requests are bounded tighter.</summary>
    private TimeSpan AnswerBound => ttl / 3 < etcd.RequestTimeout ? ttl / 3 : etcd.RequestTimeout;

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

    private void StartKeepAlive(ReplicaSession session)
    {
        var period = (int)(ttl.TotalMilliseconds / 3);
        var answerWithin = (int)AnswerBound.TotalMilliseconds;
        var keepAlive = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var previous = Interlocked.Exchange(ref _keepAlive, keepAlive);
        if (previous is not null)
        {
            // Its session is lost or its stream ended: stopping it only ends what is left of it.
            previous.Cancel();
            previous.Dispose();
        }

        keepAlive.Token.Register(() => Ended(session));
        var running = etcd.Client.LeaseKeepAlive(keepAlive, session.LeaseId, period, answerWithin);
        _ = running.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private void Ended(ReplicaSession session)
    {
        if (_stop.IsCancellationRequested || session.IsLost)
        {
            return;
        }

        if (_suspended)
        {
            // A renewal that is not sent is noticed when its answer would have been overdue.
            _ = Task.Delay(ttl * 2 / 3, CancellationToken.None).ContinueWith(_ => session.MarkLost(), TaskScheduler.Default);
            return;
        }

        _ = Task.Run(() => RecoverAsync(session));
    }

    private async Task RecoverAsync(ReplicaSession session)
    {
        try
        {
            var left = await etcd.LeaseTimeToLiveAsync(session.LeaseId, AnswerBound, _stop.Token);
            if (left.TTL > 0 && !_stop.IsCancellationRequested && !_suspended)
            {
                StartKeepAlive(session);
                return;
            }
        }
        catch (Exception e) when (e is CoordinationUnavailableException or OperationCanceledException or ObjectDisposedException)
        {
            // Unreachable: counted as lost.
        }

        Lose(session);
    }

    private void Lose(ReplicaSession session)
    {
        if (!session.MarkLost() || _stop.IsCancellationRequested)
        {
            return;
        }

        // Locks of a lease that may still exist in etcd (it was unreachable) block others until it expires: revoke it.
        _ = Task.Run(async () =>
        {
            try
            {
                await etcd.LeaseRevokeAsync(session.LeaseId, etcd.RequestTimeout, _stop.Token);
            }
            catch (Exception e) when (e is CoordinationUnavailableException or OperationCanceledException or ObjectDisposedException)
            {
                // It expires after its TTL anyway.
            }
        });
    }
}
