namespace TusCluster.Coordination;

/// <summary>
/// A release wait for backends whose releases arrive as messages to this replica (<see cref="ReleaseSignals"/>):
/// armed before each attempt, so a release that lands between the attempt and the wait still ends the wait.
/// </summary>
public sealed class ReleaseSignalWait<THolder>(ReleaseSignals signals, string uploadId) : IReleaseWait<THolder>
{
    private TaskCompletionSource? _armed;

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

        return ValueTask.CompletedTask;
    }
}
