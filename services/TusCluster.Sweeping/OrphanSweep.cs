using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TusCluster.Protocol;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Storage;

namespace TusCluster.Sweeping;

/// <summary>
/// Removes bytes that no record refers to and that nobody wrote for longer than the grace period:
/// left by a crash between writing bytes and committing a record. Lists the whole store, so it runs on
/// its own, slower schedule. The decision is re-checked under the upload's lease, so a record that
/// appears meanwhile (a slow creation) keeps its bytes. Uploads with a record lose only their abandoned
/// staged chunks (a writer killed mid-body), decided by the store under the lease.
/// </summary>
internal sealed class OrphanSweep(
    IUploadCoordination coordination,
    SweeperMetrics metrics,
    TimeProvider time,
    IOptions<SweeperOptions> options,
    IOptions<TusProtocolOptions> protocol,
    ILogger<OrphanSweep> logger,
    IUploadInventory? inventory = null)
{
    private readonly SweeperOptions _options = options.Value;

    /// <summary>Whether orphan reclaim is configured and the store can list what it holds.</summary>
    public bool IsAvailable => inventory is not null && _options.OrphanGracePeriod is not null;

    public async Task<SweepReport> RunAsync(CancellationToken cancellationToken)
    {
        if (inventory is null || _options.OrphanGracePeriod is not { } grace)
        {
            return new SweepReport(0, 0, 0, 0, 0, TimeSpan.Zero, TimeSpan.Zero);
        }

        var started = Stopwatch.GetTimestamp();
        var cutoff = time.GetUtcNow() - grace;
        var pacer = new DeletionPacer(_options.MaxDeletionsPerSecond, time);
        int examined = 0, reclaimed = 0, busy = 0, failed = 0;
        long bytes = 0;
        await foreach (var stored in inventory.ListAsync(cancellationToken))
        {
            examined++;
            if (stored.LastModified > cutoff)
            {
                continue;
            }

            var hasRecord = await coordination.GetAsync(stored.UploadId, cancellationToken) is not null;
            if (hasRecord && stored.StagedBytes == 0)
            {
                continue;
            }

            try
            {
                if (hasRecord)
                {
                    var freed = await ReclaimStagingAsync(stored, cancellationToken);
                    busy += freed is null ? 1 : 0;
                    bytes += freed ?? 0;
                    continue;
                }

                switch (await ReclaimAsync(stored, pacer, cancellationToken))
                {
                    case EntryOutcome.Reclaimed:
                        reclaimed++;
                        bytes += stored.Bytes;
                        break;
                    case EntryOutcome.Busy:
                        busy++;
                        break;
                }
            }
            catch (Exception e) when (e is StoreUnavailableException or LeaseLostException)
            {
                failed++;
                metrics.Error("orphan");
                logger.LogWarning(e, "Orphaned bytes of upload {UploadId} could not be removed; the next scan retries", stored.UploadId);
            }
        }

        var duration = Stopwatch.GetElapsedTime(started);
        logger.LogInformation(
            "Orphan scan: {Examined} stored uploads examined, {Reclaimed} orphans {Verb} ({Bytes} bytes), {Busy} busy, {Failed} failed, {DurationMs:F0} ms",
            examined, reclaimed, _options.DryRun ? "found" : "removed", bytes, busy, failed, duration.TotalMilliseconds);
        return new SweepReport(examined, _options.DryRun ? 0 : reclaimed, busy, failed, bytes, duration, TimeSpan.Zero);
    }

    /// <summary>
    /// An upload with a record whose staged chunks nobody touched for the grace period: chunks of writers
    /// killed mid-body. Under the upload's lease the store can tell them from the committed one.
    /// Returns the bytes freed, or null when a request holds the upload (retried next scan).
    /// </summary>
    private async Task<long?> ReclaimStagingAsync(StoredUpload stored, CancellationToken cancellationToken)
    {
        if (_options.DryRun)
        {
            logger.LogInformation("Dry run: would remove abandoned staged chunks of upload {UploadId} (up to {Bytes} bytes)", stored.UploadId, stored.StagedBytes);
            return 0;
        }

        IUploadLease lease;
        try
        {
            lease = await coordination.AcquireAsync(stored.UploadId, protocol.Value.LockAcquireTimeout, cancellationToken);
        }
        catch (LockTimeoutException)
        {
            return null;
        }

        await using (lease)
        {
            var freed = lease.Record is null ? 0 : await inventory!.RemoveAbandonedStagingAsync(stored, lease, cancellationToken);
            if (freed > 0)
            {
                logger.LogInformation("Removed abandoned staged chunks of upload {UploadId} ({Bytes} bytes)", stored.UploadId, freed);
            }

            return freed;
        }
    }

    private async Task<EntryOutcome> ReclaimAsync(StoredUpload stored, DeletionPacer pacer, CancellationToken cancellationToken)
    {
        if (_options.DryRun)
        {
            metrics.Reclaimed(SweepPolicy.Orphan, stored.Bytes, dryRun: true);
            logger.LogInformation("Dry run: would remove orphaned bytes of upload {UploadId} ({Bytes} bytes, last written {LastModified:O})", stored.UploadId, stored.Bytes, stored.LastModified);
            return EntryOutcome.Reclaimed;
        }

        IUploadLease lease;
        try
        {
            lease = await coordination.AcquireAsync(stored.UploadId, protocol.Value.LockAcquireTimeout, cancellationToken);
        }
        catch (LockTimeoutException)
        {
            return EntryOutcome.Busy;
        }

        await using (lease)
        {
            if (lease.Record is not null)
            {
                return EntryOutcome.Kept;
            }

            await pacer.WaitAsync(cancellationToken);
            await inventory!.DeleteAsync(stored, cancellationToken);
        }

        metrics.Reclaimed(SweepPolicy.Orphan, stored.Bytes, dryRun: false);
        logger.LogInformation("Removed orphaned bytes of upload {UploadId} ({Bytes} bytes, last written {LastModified:O})", stored.UploadId, stored.Bytes, stored.LastModified);
        return EntryOutcome.Reclaimed;
    }
}
