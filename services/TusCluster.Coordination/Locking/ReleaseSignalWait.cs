using System.Diagnostics;

namespace TusCluster.Coordination;

/// <summary>
/// A release wait for backends whose releases arrive as messages to this replica (<see cref="ReleaseSignals"/>):
/// armed before each attempt, so a release that lands between the attempt and the wait still ends the wait.
/// With a <see cref="PollSchedule"/> (backends that learn of releases elsewhere only by looking), a wait also
/// ends when the schedule says to look again, for one waiter per upload on this replica at a time
/// (<see cref="ReleaseSignals.TryLeadPolling"/>); the others wait for its signal or the loop's poll interval.
/// </summary>
public sealed class ReleaseSignalWait<THolder>(ReleaseSignals signals, string uploadId, PollSchedule? schedule = null) : IReleaseWait<THolder>
{
    private readonly long _startedAt = Stopwatch.GetTimestamp();
    private TaskCompletionSource? _armed;
    private bool _leadsPolling;

    public void Arm()
    {
        if (_armed is not null)
        {
            signals.Unregister(uploadId, _armed);
        }

        _armed = signals.Register(uploadId);
    }

    public async Task WaitAsync(THolder holder, TimeSpan longest, CancellationToken cancellationToken)
    {
        var armed = _armed ?? throw new InvalidOperationException("Arm before waiting.");
        _leadsPolling = _leadsPolling || (schedule is not null && signals.TryLeadPolling(uploadId));
        if (_leadsPolling && schedule!.Next(Stopwatch.GetElapsedTime(_startedAt)) is var next && next < longest)
        {
            longest = next;
        }

        try
        {
            await armed.Task.WaitAsync(longest, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Poll again: a release notice can be lost.
        }
    }

    public ValueTask DisposeAsync()
    {
        if (_armed is not null)
        {
            signals.Unregister(uploadId, _armed);
            _armed = null;
        }

        if (_leadsPolling)
        {
            signals.EndPolling(uploadId);
            _leadsPolling = false;
        }

        return ValueTask.CompletedTask;
    }
}
