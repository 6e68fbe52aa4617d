namespace TusCluster.Sweeping;

/// <summary>
/// Spaces deletions evenly at most <c>perSecond</c> apart, so a large backlog never floods the store
/// or the coordination backend. A token bucket of one: no bursts after an idle spell.
/// </summary>
internal sealed class DeletionPacer(double perSecond, TimeProvider time)
{
    private readonly TimeSpan _spacing = perSecond > 0 ? TimeSpan.FromSeconds(1 / perSecond) : TimeSpan.Zero;
    private long _nextAllowed;

    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        if (_spacing == TimeSpan.Zero)
        {
            return;
        }

        var now = time.GetTimestamp();
        var next = Math.Max(now, _nextAllowed);
        _nextAllowed = next + (long)(_spacing.TotalSeconds * time.TimestampFrequency);
        if (next > now)
        {
            await Task.Delay(time.GetElapsedTime(now, next), time, cancellationToken);
        }
    }
}
