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
/// </summary>
internal sealed class UploadReclaimer(
    IUploadCoordination coordination,
    IUploadStore store,
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

        await using (lease)
        {
            return await ReclaimUnderLeaseAsync(lease, now, pacer, cancellationToken);
        }
    }

    /// <summary>The policy under which <paramref name="record"/> is due for deletion at <paramref name="now"/>; null when it is not.</summary>
    internal SweepPolicy? Decide(UploadRecord? record, DateTimeOffset now) => record switch
    {
        null or { ExpiresAt: null } => null,
        { ExpiresAt: { } at } when at > now => null,
        { Status: UploadStatus.Active } => SweepPolicy.Expired,
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
