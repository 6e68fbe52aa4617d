namespace TusCluster.Coordination;

/// <summary>
/// For coordination backends whose leases live by renewal: renews every third of the TTL and signals
/// <see cref="Lost"/> when the backend says the lock is no longer held, or when no renewal succeeded for
/// a whole TTL. Time is measured from before each renewal was sent, so the holder gives up no later
/// than the backend lets the lock expire.
/// </summary>
public sealed class LeaseKeepAlive
{
    private readonly long _ttl;
    private readonly long _interval;
    private readonly Func<CancellationToken, Task<LeaseRenewal>> _renew;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private long _lastRenewedAt;
    private volatile bool _paused;

    /// <param name="ttl">How long the backend keeps the lock after a renewal.</param>
    /// <param name="acquireSentAt"><see cref="Environment.TickCount64"/> before the acquire was sent.</param>
    /// <param name="renew">One renewal attempt; it must not throw for an unreachable backend.</param>
    public LeaseKeepAlive(TimeSpan ttl, long acquireSentAt, Func<CancellationToken, Task<LeaseRenewal>> renew)
    {
        _ttl = (long)ttl.TotalMilliseconds;
        _interval = Math.Max(1, _ttl / 3);
        _lastRenewedAt = acquireSentAt;
        _renew = renew;
    }

    public CancellationToken Lost => _lost.Token;

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Test hook: stops renewing, as a paused or partitioned replica would.</summary>
    public void Pause() => _paused = true;

    public void MarkLost()
    {
        try
        {
            _lost.Cancel();
        }
        catch (AggregateException)
        {
            // A callback of the holder failed; the loss is still signalled.
        }
    }

    /// <summary>Stops renewing (the lease is being released); call once.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var nextRenewal = Volatile.Read(ref _lastRenewedAt) + _interval;
        var stop = _stop.Token;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var now = Environment.TickCount64;
                var lostAt = Volatile.Read(ref _lastRenewedAt) + _ttl;
                if (now >= lostAt)
                {
                    MarkLost();
                    return;
                }

                var wakeAt = _paused ? lostAt : Math.Min(nextRenewal, lostAt);
                if (wakeAt > now)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(wakeAt - now), stop);
                    continue;
                }

                nextRenewal = now + _interval;
                switch (await _renew(stop))
                {
                    case LeaseRenewal.Renewed:
                        Volatile.Write(ref _lastRenewedAt, now);
                        break;
                    case LeaseRenewal.NotHeld:
                        MarkLost();
                        return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Released.
        }
    }
}
