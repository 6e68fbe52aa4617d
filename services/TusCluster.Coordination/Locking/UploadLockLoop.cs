using System.Diagnostics;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination;

/// <summary>
/// Takes an upload's lease the same way on every backend: try; when held, ask the holder to hand over
/// (again every <see cref="IUploadLockSteps{THolder}.HandOverRepeat"/>); wait for its release or the next
/// poll; give up with <see cref="LockTimeoutException"/> (423 for the client) once the deadline has passed.
/// One monotonic clock measures the deadline, whatever the wall clock does.
/// </summary>
public static class UploadLockLoop
{
    public static async ValueTask<IUploadLease> AcquireAsync<THolder>(
        IUploadLockSteps<THolder> steps, string uploadId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var started = Stopwatch.GetTimestamp();
        long? askedAt = null;
        var retriedAtOnce = false;
        await using var release = steps.ListenForRelease(uploadId);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            release.Arm();
            var attempt = await steps.TryAcquireAsync(uploadId, cancellationToken);
            if (attempt.Lease is { } lease)
            {
                return lease;
            }

            var held = !attempt.Vanished;
            if (held && (askedAt is not { } asked || Stopwatch.GetElapsedTime(asked) >= steps.HandOverRepeat))
            {
                held = await steps.RequestHandOverAsync(uploadId, attempt.Holder!, cancellationToken);
                askedAt = Stopwatch.GetTimestamp();
            }

            if (!held && !retriedAtOnce)
            {
                // Released between the try and the look: try again without waiting, but only once in a row, so a
                // lock that flickers cannot turn this loop into a busy one.
                retriedAtOnce = true;
                continue;
            }

            retriedAtOnce = false;
            var remaining = timeout - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                throw new LockTimeoutException($"Upload {uploadId} stayed locked for {timeout}.");
            }

            var wait = remaining < steps.PollInterval ? remaining : steps.PollInterval;
            if (held)
            {
                await release.WaitAsync(attempt.Holder!, wait, cancellationToken);
            }
            else
            {
                await Task.Delay(wait, cancellationToken);
            }
        }
    }
}
