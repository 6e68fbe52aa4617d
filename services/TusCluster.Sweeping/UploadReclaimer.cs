using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TusCluster.Protocol;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Sweeping;

/// <summary>
/// Reclaims one upload named by the expiry index. Everything is decided on the record read under the
/// upload's lease, so no request can write it meanwhile, and an upload written to since it was indexed
/// (its commit moved the expiry) is left alone. Bytes go first, the record second: a crash in between
/// leaves an expired record still in the index, and the next pass repeats both (deletion is idempotent).
/// An upload that has every byte but was never finished (its writer stopped before the last step, after the
/// client was told its bytes were kept) is finished, never expired.
/// </summary>
internal sealed class UploadReclaimer(
    IUploadCoordination coordination,
    IUploadStore store,
    IStrandedUploadFinisher finisher,
    SweeperMetrics metrics,
    TimeProvider time,
    IOptions<SweeperOptions> options,
    IOptions<TusProtocolOptions> protocol,
    ILogger<UploadReclaimer> logger)
{
    private readonly SweeperOptions _options = options.Value;
    private readonly TimeSpan _tombstoneRetention = protocol.Value.TombstoneRetention;
    private readonly TimeSpan _lockTimeout = protocol.Value.LockAcquireTimeout;

    public async Task<(EntryOutcome Outcome, long Bytes)> ReclaimAsync(ExpiryEntry entry, DateTimeOffset now, DeletionPacer pacer, CancellationToken cancellationToken)
    {
        if (_options.DryRun)
        {
            // A dry run takes no lease: it must not even ask a writer to hand over.
            var current = await coordination.GetAsync(entry.UploadId, cancellationToken);
            if (Decide(current, now) is { } wouldReclaim)
            {
                var bytes = current!.Offset;
                metrics.Reclaimed(wouldReclaim, bytes, dryRun: true);
                logger.LogInformation("Dry run: would reclaim upload {UploadId} ({Policy}, {Bytes} bytes, due {DueAt:O})", entry.UploadId, wouldReclaim, bytes, current.ExpiresAt);
            }
            else if (IsStranded(current, now))
            {
                logger.LogInformation("Dry run: would finish upload {UploadId}, which has all its {Bytes} bytes but was never finished", entry.UploadId, current!.Offset);
            }

            return (EntryOutcome.Kept, 0);
        }

        IUploadLease lease;
        try
        {
            lease = await coordination.AcquireAsync(entry.UploadId, _lockTimeout, cancellationToken);
        }
        catch (LockTimeoutException)
        {
            logger.LogDebug("Upload {UploadId} is locked by a request; it is looked at again next pass", entry.UploadId);
            return (EntryOutcome.Busy, 0);
        }

        UploadRecord stranded;
        await using (lease)
        {
            if (!IsStranded(lease.Record, now))
            {
                return await ReclaimUnderLeaseAsync(lease, now, pacer, cancellationToken);
            }

            stranded = lease.Record!;
        }

        // Finished under a lease of its own (the finisher's), which raises post-finish where hooks are configured.
        return (await FinishStrandedAsync(stranded, cancellationToken), 0);
    }

    /// <summary>Active, due, and with every byte committed: the client was told its upload is complete.</summary>
    private static bool IsStranded(UploadRecord? record, DateTimeOffset now) =>
        record is { Status: UploadStatus.Active, IsComplete: true, ExpiresAt: { } at } && at <= now && record.Kind != UploadKind.Final;

    private async Task<EntryOutcome> FinishStrandedAsync(UploadRecord record, CancellationToken cancellationToken)
    {
        try
        {
            if (await finisher.FinishAsync(record, cancellationToken) is not { Status: UploadStatus.Finished })
            {
                return EntryOutcome.Kept;
            }
        }
        catch (LockTimeoutException)
        {
            return EntryOutcome.Busy;
        }
        catch (CoordinationUnavailableException e)
        {
            metrics.Error("entry");
            logger.LogWarning(e, "Upload {UploadId} has all its bytes but could not be finished; the next pass retries", record.Id);
            return EntryOutcome.Failed;
        }

        metrics.FinishedStranded();
        logger.LogWarning("Upload {UploadId} had all its {Bytes} bytes but was never finished (its writer stopped before the last step); finished it instead of expiring it", record.Id, record.Offset);
        return EntryOutcome.Reindexed;
    }

    /// <summary>The policy under which <paramref name="record"/> is due for deletion at <paramref name="now"/>; null when it is not.</summary>
    internal SweepPolicy? Decide(UploadRecord? record, DateTimeOffset now) => record switch
    {
        null or { ExpiresAt: null } => null,
        { ExpiresAt: { } at } when at > now => null,
        { Status: UploadStatus.Active } => IsStranded(record, now) ? null : SweepPolicy.Expired,
        { Status: UploadStatus.Finished } => _options.FinishedRetention is null ? null : SweepPolicy.Retention,
        _ => SweepPolicy.Tombstone,
    };

    private async Task<(EntryOutcome, long)> ReclaimUnderLeaseAsync(IUploadLease lease, DateTimeOffset now, DeletionPacer pacer, CancellationToken cancellationToken)
    {
        var record = lease.Record;
        var policy = Decide(record, now);
        if (policy is null)
        {
            return (await CorrectIndexAsync(lease, record, now), 0);
        }

        await pacer.WaitAsync(cancellationToken);
        await store.DeleteAsync(record!, cancellationToken);

        // From here on the record must follow the bytes even if the pass is being stopped.
        if (policy == SweepPolicy.Tombstone || _tombstoneRetention == TimeSpan.Zero)
        {
            await lease.RemoveAsync(CancellationToken.None);
        }
        else
        {
            await lease.CommitAsync(
                record! with { Status = UploadStatus.Expired, StoreState = null, ExpiresAt = time.GetUtcNow() + _tombstoneRetention },
                CancellationToken.None);
        }

        var bytes = policy == SweepPolicy.Tombstone ? 0 : record!.Offset;
        metrics.Reclaimed(policy.Value, bytes, dryRun: false);
        logger.LogInformation("Reclaimed upload {UploadId} ({Policy}, {Bytes} bytes, due {DueAt:O})", record!.Id, policy.Value, bytes, record.ExpiresAt);
        return (EntryOutcome.Reclaimed, bytes);
    }

    /// <summary>An entry whose record is not due: usually written to since it was indexed, else a leftover.</summary>
    private async Task<EntryOutcome> CorrectIndexAsync(IUploadLease lease, UploadRecord? record, DateTimeOffset now)
    {
        switch (record)
        {
            case null:
                // An index entry without a record: removal clears it (and is harmless otherwise).
                await lease.RemoveAsync(CancellationToken.None);
                return EntryOutcome.Reindexed;
            case { Status: UploadStatus.Finished, ExpiresAt: { } at } when at <= now:
                // Finished uploads are kept forever without a retention: they need no index entry.
                await lease.CommitAsync(record with { ExpiresAt = null }, CancellationToken.None);
                return EntryOutcome.Reindexed;
            default:
                return EntryOutcome.Kept;
        }
    }
}
