namespace TusCluster.Observability.Telemetry;

/// <summary>
/// A token bucket of traces: <c>perSecond</c> tokens a second, at most one second's worth saved up, so a
/// quiet replica records a burst whole and a busy one records a steady number of traces a second.
/// </summary>
internal sealed class TraceBudget
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly double _perSecond;
    private readonly double _capacity;
    private double _tokens;
    private long _refilledAt;

    public TraceBudget(double perSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        _time = time;
        _perSecond = perSecond;
        _capacity = Math.Max(1, perSecond);
        _tokens = _capacity;
        _refilledAt = time.GetTimestamp();
    }

    /// <summary>Takes one trace from the budget; false when it is spent for now.</summary>
    public bool TryTake()
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_capacity, _tokens + (_time.GetElapsedTime(_refilledAt, now).TotalSeconds * _perSecond));
            _refilledAt = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }
}
