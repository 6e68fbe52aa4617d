using System.Globalization;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.S3;

/// <summary>
/// The primitive steps the shared acquire loop drives. Taking: GET the document; free or expired → one PUT with
/// If-Match that draws the next fence and writes the lease. Hand-over: a holder on this replica is told directly,
/// one elsewhere through a request key its replica lists. Releases here wake waiters at once; those elsewhere are
/// seen by the loop reading the document again on the waiter's <see cref="PollSchedule"/> (fast while the holder's
/// replica is expected to see the request, then every poll interval), which happens only while someone waits.
/// </summary>
internal sealed partial class S3UploadCoordination : IUploadLockSteps<S3LockHolder>
{
    private long _attempts;

    /// <summary>The holder deletes the request when it releases; repeated in case it was made just before a release.</summary>
    TimeSpan IUploadLockSteps<S3LockHolder>.HandOverRepeat => TimeSpan.FromMilliseconds(500);

    TimeSpan IUploadLockSteps<S3LockHolder>.PollInterval => Options.PollInterval;

    IReleaseWait<S3LockHolder> IUploadLockSteps<S3LockHolder>.ListenForRelease(string uploadId) =>
        new ReleaseSignalWait<S3LockHolder>(_releases, uploadId, PollSchedule.ForHolderPolling(Options.PollInterval, Options.PollInterval));

    async ValueTask<LockAttempt<S3LockHolder>> IUploadLockSteps<S3LockHolder>.TryAcquireAsync(string uploadId, CancellationToken cancellationToken)
    {
        var sentAt = Environment.TickCount64;
        var (document, etag) = await ReadAsync(uploadId, cancellationToken);
        var now = NowMilliseconds();
        if (document?.Lease is { } held && held.ExpiresAtMs >= now)
        {
            var local = _leases.TryGetValue(uploadId, out var lease) && lease.FencingToken == held.Token ? lease : null;
            return LockAttempt<S3LockHolder>.HeldBy(new S3LockHolder(held.Token, local));
        }

        // The record's own fence counts too: a record imported or restored with a higher fence is never undercut.
        var current = document ?? UploadDocument.Empty;
        var fence = Math.Max(current.Fence, current.Record?.Fence ?? 0) + 1;
        var owner = $"{_ownerId}#{Interlocked.Increment(ref _attempts).ToString(CultureInfo.InvariantCulture)}";
        var taken = current with { Fence = fence, Lease = new StoredLease(fence, owner, now + LeaseTtlMilliseconds) };
        string? written;
        try
        {
            written = await Objects.WriteAsync(Keys.Upload(uploadId), taken, etag);
        }
        catch (CoordinationUnavailableException e)
        {
            // The PUT may have been applied: let go of the lease if so, without waiting for it.
            Detach(stop => AbandonAsync(uploadId, owner, stop));
            if (!S3Calls.IsRacedWrite(e))
            {
                throw;
            }

            // RGW answers some races of conditional PUTs on one key with 500 instead of 412. It answered, so the
            // PUT is over: if the lease is not ours now it never will be, and the loop looks again.
            return LockAttempt<S3LockHolder>.FoundFree();
        }

        if (written is null)
        {
            // Another replica wrote the document between our GET and PUT: look again at once.
            return LockAttempt<S3LockHolder>.FoundFree();
        }

        var acquired = new S3UploadLease(this, uploadId, taken, written, sentAt);
        _leases[uploadId] = acquired;
        acquired.StartKeepAlive();
        _handOverPoll.Start();
        return LockAttempt<S3LockHolder>.Acquired(acquired);
    }

    async ValueTask<bool> IUploadLockSteps<S3LockHolder>.RequestHandOverAsync(string uploadId, S3LockHolder holder, CancellationToken cancellationToken)
    {
        if (holder.Local is { } local)
        {
            local.RequestHandOver();
            return true;
        }

        await Objects.PutMarkerAsync(Keys.HandOver(uploadId, holder.Token), cancellationToken);
        return true;
    }

    /// <summary>
    /// Wakes the acquirers of this replica waiting for the upload and, if someone asked for the upload, removes the
    /// hand-over request for the fence. A release nobody asked for sends nothing more (it is most of them: a PATCH
    /// costs three requests, not four); a request the holder never saw is removed by a later poll
    /// (<see cref="PollHandOversAsync"/>).
    /// </summary>
    internal void Released(string uploadId, long fencingToken, bool handOverRequested)
    {
        _releases.Signal(uploadId);
        if (handOverRequested)
        {
            Detach(stop => Objects.DeleteAsync(Keys.HandOver(uploadId, fencingToken), stop));
        }
    }

    internal void Forget(S3UploadLease lease) =>
        _leases.TryRemove(new KeyValuePair<string, S3UploadLease>(lease.UploadId, lease));

    /// <summary>
    /// Lets go of a lease an acquire with an unknown outcome may have written, identified by its owner value.
    /// Looks a few times within one TTL (a stalled PUT may still land); after that the lease has expired anyway.
    /// </summary>
    private async Task AbandonAsync(string uploadId, string owner, CancellationToken stop)
    {
        var started = Environment.TickCount64;
        while (Environment.TickCount64 - started < LeaseTtlMilliseconds)
        {
            await Task.Delay(Options.PollInterval * 2, stop);
            try
            {
                var (document, etag) = await ReadAsync(uploadId, stop);
                if (document?.Lease?.Owner == owner)
                {
                    if (await Objects.WriteAsync(Keys.Upload(uploadId), document with { Lease = null }, etag) is not null)
                    {
                        _releases.Signal(uploadId);
                    }

                    return;
                }
            }
            catch (CoordinationUnavailableException)
            {
                // Still unreachable: look again.
            }
        }
    }
}
