namespace TusCluster.Coordination;

/// <summary>One acquirer's subscription to the release of one upload's lock, for the length of one acquire.</summary>
public interface IReleaseWait<THolder> : IAsyncDisposable
{
    /// <summary>Called before each attempt: a release from now on ends the next wait.</summary>
    void Arm();

    /// <summary>
    /// Returns once the lock held by <paramref name="holder"/> is released, or after <paramref name="longest"/>,
    /// whichever comes first; a time-out is not an error (the loop simply tries again).
    /// </summary>
    Task WaitAsync(THolder holder, TimeSpan longest, CancellationToken cancellationToken);
}
