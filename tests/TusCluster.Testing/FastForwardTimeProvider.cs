using System.Collections.Concurrent;

namespace TusCluster.Testing;

/// <summary>
/// A clock on which every wait ends at once and moves the clock on by its length, recording it: a test
/// sees exactly how long code chose to wait (retry delays, Retry-After) without waiting that long, and
/// without timing assertions that flake on a loaded machine.
/// </summary>
public sealed class FastForwardTimeProvider : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _waits = new();
    private long _utcTicks = DateTimeOffset.UtcNow.UtcTicks;

    /// <summary>Every timer's due time, in the order the timers were created.</summary>
    public IReadOnlyList<TimeSpan> Waits => [.. _waits];

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _waits.Enqueue(dueTime);
            Interlocked.Add(ref _utcTicks, dueTime.Ticks);

            // Not inline: the caller may not have finished setting up what the callback completes.
            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }

        return new FiredTimer();
    }

    private sealed class FiredTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
