using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Storage;

namespace TusCluster.Sweeping;

/// <summary>
/// One pass over the expiry index: what is due up to the pass's start, oldest first, in bounded
/// batches. The cost follows what has expired, never how many uploads are live.
/// </summary>
internal sealed class SweepPass(
    IUploadCoordination coordination,
    UploadReclaimer reclaimer,
    SweeperMetrics metrics,
    TimeProvider time,
    IOptions<SweeperOptions> options,
    ILogger<SweepPass> logger)
{
    private readonly SweeperOptions _options = options.Value;

    public async Task<SweepReport> RunAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        var pacer = new DeletionPacer(_options.MaxDeletionsPerSecond, time);

        // Entries left in the index (busy, failed, dry run) are read again by the next batch; they are
        // skipped here, and the pass ends once a batch brings nothing new. Bounded, so that a pass whose
        // every entry stays (a dry run over a huge backlog) still ends.
        var left = new HashSet<string>(StringComparer.Ordinal);
        var leftLimit = _options.BatchSize * 20;
        int examined = 0, reclaimed = 0, busy = 0, failed = 0;
        long bytes = 0;
        while (left.Count <= leftLimit)
        {
            var limit = _options.BatchSize + left.Count;
            var batch = await coordination.ReadExpiredAsync(now, limit, cancellationToken);
            var fresh = 0;
            foreach (var entry in batch)
            {
                if (left.Contains(entry.UploadId))
                {
                    continue;
                }

                fresh++;
                examined++;
                var (outcome, reclaimedBytes) = await SweepEntryAsync(entry, now, pacer, cancellationToken);
                bytes += reclaimedBytes;
                switch (outcome)
                {
                    case EntryOutcome.Reclaimed:
                        reclaimed++;
                        break;
                    case EntryOutcome.Busy:
                        busy++;
                        left.Add(entry.UploadId);
                        break;
                    case EntryOutcome.Failed:
                        failed++;
                        left.Add(entry.UploadId);
                        break;
                    case EntryOutcome.Kept:
                        left.Add(entry.UploadId);
                        break;
                }
            }

            if (fresh == 0 || batch.Count < limit)
            {
                break;
            }
        }

        var lag = await LagAsync(cancellationToken);
        var duration = Stopwatch.GetElapsedTime(started);
        metrics.PassCompleted(duration, lag);
        var report = new SweepReport(examined, reclaimed, busy, failed, bytes, duration, lag);
        logger.Log(
            examined > 0 ? LogLevel.Information : LogLevel.Debug,
            "Sweep pass: {Examined} examined, {Reclaimed} reclaimed ({Bytes} bytes), {Busy} busy, {Failed} failed, lag {LagSeconds:F1} s, {DurationMs:F0} ms{DryRun}",
            examined, reclaimed, bytes, busy, failed, lag.TotalSeconds, duration.TotalMilliseconds, _options.DryRun ? " (dry run)" : string.Empty);
        return report;
    }

    private async Task<(EntryOutcome, long)> SweepEntryAsync(ExpiryEntry entry, DateTimeOffset now, DeletionPacer pacer, CancellationToken cancellationToken)
    {
        try
        {
            return await reclaimer.ReclaimAsync(entry, now, pacer, cancellationToken);
        }
        catch (Exception e) when (e is StoreUnavailableException or LeaseLostException)
        {
            metrics.Error("entry");
            logger.LogWarning(e, "Upload {UploadId} could not be reclaimed; the next pass retries", entry.UploadId);
            return (EntryOutcome.Failed, 0);
        }
    }

    /// <summary>How long the oldest entry still due has waited: what the sweeper is behind by.</summary>
    private async Task<TimeSpan> LagAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var oldest = await coordination.ReadExpiredAsync(now, 1, cancellationToken);
        if (oldest.Count == 0)
        {
            return TimeSpan.Zero;
        }

        // Entries a dry run or an error left behind count too: they are what an operator waits for.
        return now - oldest[0].ExpiresAt;
    }
}
