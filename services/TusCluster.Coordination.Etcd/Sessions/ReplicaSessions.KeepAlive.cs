using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Etcd.Sessions;

/// <summary>The keep-alive of the current session, and what happens when it ends.</summary>
internal sealed partial class ReplicaSessions
{
    /// <summary>How long a renewal may go unanswered: a third of the TTL, or less when requests are bounded tighter.</summary>
    private TimeSpan AnswerBound => ttl / 3 < etcd.RequestTimeout ? ttl / 3 : etcd.RequestTimeout;

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
