using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.DynamoDb;

/// <summary>
/// The primitive steps the shared acquire loop drives: one conditional UpdateItem to take the lock; a holder on
/// this replica is told directly, one on another replica through the hand-over attribute it polls; releases on
/// this replica wake waiters at once, those elsewhere are seen by trying again on the waiter's
/// <see cref="PollSchedule"/>: fast while the holder's replica is expected to see the request, then every poll interval.
/// </summary>
internal sealed partial class DynamoDbUploadCoordination
{
    /// <summary>The holder clears the request by releasing; repeated in case it was set just before a release.</summary>
    TimeSpan IUploadLockSteps<DynamoDbLockHolder>.HandOverRepeat => TimeSpan.FromMilliseconds(500);

    TimeSpan IUploadLockSteps<DynamoDbLockHolder>.PollInterval => Options.HandOverPollInterval;

    IReleaseWait<DynamoDbLockHolder> IUploadLockSteps<DynamoDbLockHolder>.ListenForRelease(string uploadId) =>
        new ReleaseSignalWait<DynamoDbLockHolder>(_releases, uploadId, PollSchedule.ForHolderPolling(Options.HandOverPollInterval, Options.HandOverPollInterval));

    async ValueTask<LockAttempt<DynamoDbLockHolder>> IUploadLockSteps<DynamoDbLockHolder>.TryAcquireAsync(string uploadId, CancellationToken cancellationToken)
    {
        if (await TryTakeAsync(uploadId) is { } lease)
        {
            return LockAttempt<DynamoDbLockHolder>.Acquired(lease);
        }

        return LockAttempt<DynamoDbLockHolder>.HeldBy(new DynamoDbLockHolder(_leases.TryGetValue(uploadId, out var local) ? local : null));
    }

    async ValueTask<bool> IUploadLockSteps<DynamoDbLockHolder>.RequestHandOverAsync(string uploadId, DynamoDbLockHolder holder, CancellationToken cancellationToken)
    {
        if (holder.Local is { } local)
        {
            local.RequestHandOver();
            return true;
        }

        return await RequestRemoteHandOverAsync(uploadId, cancellationToken);
    }
}
