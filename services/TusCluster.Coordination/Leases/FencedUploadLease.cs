using TusCluster.Coordination.Outbox;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination;

/// <summary>
/// A lease that lives by renewal (<see cref="LeaseKeepAlive"/>) and commits only under its fence. What every such
/// backend's lease does alike lives here: the argument checks of a commit, the shape of commit-and-release (stop
/// renewing, commit with the release in the same write, and on any failure the fenced release, which is harmless
/// when the commit already released), removal, hand-over signalling and disposal. A backend adds its renewal, its
/// conditional commit, its removal and its fenced release.
/// </summary>
public abstract class FencedUploadLease : IUploadLease
{
    private readonly CancellationTokenSource _handOver = new();
    private readonly LeaseKeepAlive _keepAlive;
    private int _released;

    /// <param name="leaseTtl">How long the backend keeps the lease after a renewal.</param>
    /// <param name="acquireSentAt"><see cref="Environment.TickCount64"/> before the acquire was sent.</param>
    protected FencedUploadLease(string uploadId, long fencingToken, UploadRecord? record, TimeSpan leaseTtl, long acquireSentAt)
    {
        UploadId = uploadId;
        FencingToken = fencingToken;
        Record = record;
        _keepAlive = new LeaseKeepAlive(leaseTtl, acquireSentAt, RenewAsync);
    }

    public string UploadId { get; }

    public long FencingToken { get; }

    public UploadRecord? Record { get; private set; }

    public CancellationToken HandOverRequested => _handOver.Token;

    public CancellationToken Lost => _keepAlive.Lost;

    /// <summary>Released, or being released: nothing may be written under it any more.</summary>
    protected bool IsReleased => Volatile.Read(ref _released) != 0;

    /// <summary>Starts renewing; the coordination calls it once, after the acquire returned.</summary>
    public void StartKeepAlive() => _keepAlive.Start();

    /// <summary>Test hook: stops renewing, as a paused or partitioned replica would.</summary>
    public void PauseKeepAlive() => _keepAlive.Pause();

    /// <summary>Signals <see cref="HandOverRequested"/>: another request asked this holder to stop.</summary>
    public void RequestHandOver()
    {
        try
        {
            _handOver.Cancel();
        }
        catch (AggregateException)
        {
            // A callback of the holder failed; the request is still signalled.
        }
    }

    public async ValueTask<UploadRecord> CommitAsync(UploadRecord record, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken)
    {
        OutboxEntries.Validate(UploadId, events);
        ThrowIfReleased();
        var stored = Fenced(record, cancellationToken);
        await CommitCoreAsync(stored, events, release: false, cancellationToken);
        Record = stored;
        return stored;
    }

    public async ValueTask<UploadRecord> CommitAndReleaseAsync(UploadRecord record, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken)
    {
        OutboxEntries.Validate(UploadId, events);
        ArgumentNullException.ThrowIfNull(record);
        if (Interlocked.Exchange(ref _released, 1) == 1)
        {
            throw new LeaseLostException($"The lease {FencingToken} of upload {UploadId} was released; the commit was not stored.");
        }

        await StopKeepAliveAsync();
        try
        {
            var stored = Fenced(record, cancellationToken);
            await CommitCoreAsync(stored, events, release: true, cancellationToken);
            Record = stored;
            OnReleased();
            return stored;
        }
        catch
        {
            // The commit did not release (lease lost, backend unreachable): the fenced release is harmless either way.
            await ReleaseAsync();
            throw;
        }
    }

    public async ValueTask RemoveAsync(CancellationToken cancellationToken)
    {
        ThrowIfReleased();
        cancellationToken.ThrowIfCancellationRequested();
        await RemoveCoreAsync(cancellationToken);
        Record = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 1)
        {
            return;
        }

        await StopKeepAliveAsync();
        await ReleaseAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>One renewal attempt; it must not throw for an unreachable backend.</summary>
    protected abstract Task<LeaseRenewal> RenewAsync(CancellationToken stop);

    /// <summary>
    /// Stores <paramref name="stored"/> (its fence already this lease's) and <paramref name="events"/> in one conditional
    /// write, with <paramref name="release"/> also freeing the lease in it. A write with an unknown outcome is settled
    /// by reading, never by sending it again.
    /// </summary>
    /// <exception cref="LeaseLostException">The lease is no longer held (call <see cref="MarkLost"/>); nothing was written.</exception>
    protected abstract Task CommitCoreAsync(UploadRecord stored, IReadOnlyList<OutboxEntry> events, bool release, CancellationToken cancellationToken);

    /// <summary>Removes the record and its expiry index entry under the fence.</summary>
    /// <exception cref="LeaseLostException">The lease is no longer held; nothing was removed.</exception>
    protected abstract Task RemoveCoreAsync(CancellationToken cancellationToken);

    /// <summary>Frees the lease if the backend still holds this fence; best effort (else it lapses after the TTL), never throws.</summary>
    protected abstract Task ReleaseAsync();

    /// <summary>After a commit-and-release succeeded: wake this replica's waiters (when the backend does not itself).</summary>
    protected virtual void OnReleased()
    {
    }

    /// <summary>The coordination stops tracking this lease (renewal has stopped).</summary>
    protected abstract void Forget();

    protected void MarkLost() => _keepAlive.MarkLost();

    protected void ThrowIfReleased()
    {
        if (IsReleased)
        {
            throw new LeaseLostException($"The lease {FencingToken} of upload {UploadId} was released.");
        }
    }

    private UploadRecord Fenced(UploadRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Id != UploadId)
        {
            throw new ArgumentException($"A lease of upload {UploadId} cannot commit upload {record.Id}.", nameof(record));
        }

        cancellationToken.ThrowIfCancellationRequested();
        return record with { Fence = FencingToken };
    }

    private async Task StopKeepAliveAsync()
    {
        await _keepAlive.StopAsync();
        Forget();
    }
}
