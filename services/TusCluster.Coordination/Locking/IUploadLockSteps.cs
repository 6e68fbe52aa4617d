using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination;

/// <summary>
/// The primitive steps of one coordination backend that <see cref="UploadLockLoop"/> drives: everything a
/// backend must say about its own wire; the loop, its clock and its deadline are shared.
/// </summary>
/// <typeparam name="THolder">What a failed attempt learned about the holder (a token, a revision).</typeparam>
public interface IUploadLockSteps<THolder>
{
    /// <summary>How often a holder that has not let go is asked again (a request may have been missed).</summary>
    TimeSpan HandOverRepeat { get; }

    /// <summary>The longest wait between two attempts when no release signal arrives (signals can be lost).</summary>
    TimeSpan PollInterval { get; }

    /// <summary>Starts listening for the upload's release before the first attempt, so none is missed.</summary>
    IReleaseWait<THolder> ListenForRelease(string uploadId);

    /// <summary>
    /// One try to take the lock (reading the record in the same round trip where the backend can). Must not
    /// leave a lock behind that nobody holds when it throws: an attempt with an unknown outcome cleans up.
    /// </summary>
    ValueTask<LockAttempt<THolder>> TryAcquireAsync(string uploadId, CancellationToken cancellationToken);

    /// <summary>Asks <paramref name="holder"/> to commit what it has and release. False when the lock turned out free.</summary>
    ValueTask<bool> RequestHandOverAsync(string uploadId, THolder holder, CancellationToken cancellationToken);
}
