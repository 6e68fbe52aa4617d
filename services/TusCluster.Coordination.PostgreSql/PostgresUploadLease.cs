using TusCluster.Coordination.Outbox;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.PostgreSql;

/// <summary>
/// A lease on one upload, kept alive through the kit by moving <c>lease_expires_at</c> forward every third of the TTL
/// with an UPDATE conditional on the fence. Lost fires when the row no longer holds this lease's fence, or when no
/// renewal succeeded for a whole TTL (measured from before the renewal was sent, so locally the lease is given up no
/// later than the server lets it lapse).
/// </summary>
internal sealed partial class PostgresUploadLease : IUploadLease
{
    private readonly PostgresUploadCoordination _owner;
    private readonly CancellationTokenSource _handOver = new();
    private readonly LeaseKeepAlive _keepAlive;
    private int _disposed;

    public PostgresUploadLease(PostgresUploadCoordination owner, string uploadId, long fencingToken, UploadRecord? record, long acquireStartedAt)
    {
        _owner = owner;
        UploadId = uploadId;
        FencingToken = fencingToken;
        Record = record;
        _keepAlive = new LeaseKeepAlive(owner.Options.LeaseTtl, acquireStartedAt, RenewAsync);
    }

    public string UploadId { get; }

    public long FencingToken { get; }

    public UploadRecord? Record { get; private set; }

    public CancellationToken HandOverRequested => _handOver.Token;

    public CancellationToken Lost => _keepAlive.Lost;

    /// <summary>Test hook: stops renewing, as a paused or partitioned replica would.</summary>
    internal void PauseKeepAlive() => _keepAlive.Pause();

    public ValueTask<UploadRecord> CommitAsync(UploadRecord record, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken)
    {
        OutboxEntries.Validate(UploadId, events);
        return CommitAsync(record, events, release: false, cancellationToken);
    }

    public async ValueTask<UploadRecord> CommitAndReleaseAsync(UploadRecord record, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken)
    {
        OutboxEntries.Validate(UploadId, events);
        ArgumentNullException.ThrowIfNull(record);
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            throw new LeaseLostException($"The lease {FencingToken} of upload {UploadId} was released; the commit was not stored.");
        }

        await StopKeepAliveAsync();
        try
        {
            var stored = await CommitAsync(record, events, release: true, cancellationToken);
            _owner.Released(UploadId);
            return stored;
        }
        catch
        {
            // The statement did not release (lease lost, PostgreSQL unreachable): the fenced release is harmless either way.
            await _owner.ReleaseAsync(UploadId, FencingToken);
            throw;
        }
    }

    public async ValueTask RemoveAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int changed;
        try
        {
            changed = await _owner.Calls.ExecuteAsync(
                "a removal",
                _owner.Statements.Remove,
                [PostgresValues.Text(UploadId), PostgresValues.Bigint(FencingToken)],
                CancellationToken.None);
        }
        catch (CoordinationUnavailableException e)
        {
            // The removal may or may not have happened. Find out by reading, never by sending it again.
            if (await ReadAfterFailureAsync(e, "removal") is not null)
            {
                throw;
            }

            Record = null;
            return;
        }

        if (changed != 1)
        {
            MarkLost();
            throw new LeaseLostException($"The lease {FencingToken} of upload {UploadId} is no longer held; the record was not removed.");
        }

        Record = null;
    }

    internal void StartKeepAlive() => _keepAlive.Start();

    internal void RequestHandOver()
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

    private async Task<LeaseRenewal> RenewAsync(CancellationToken stop)
    {
        try
        {
            var renewed = await _owner.Calls.ExecuteAsync(
                "a lease renewal",
                _owner.Statements.Renew,
                [PostgresValues.Text(UploadId), PostgresValues.Bigint(FencingToken), PostgresValues.Bigint(_owner.LeaseTtlMilliseconds)],
                CancellationToken.None);
            return renewed == 1 ? LeaseRenewal.Renewed : LeaseRenewal.NotHeld;
        }
        catch (CoordinationUnavailableException)
        {
            return LeaseRenewal.Unreachable;
        }
        catch (ObjectDisposedException)
        {
            // The coordination was disposed under this lease.
            return LeaseRenewal.NotHeld;
        }
    }

    private void MarkLost() => _keepAlive.MarkLost();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopKeepAliveAsync();
        await _owner.ReleaseAsync(UploadId, FencingToken);
    }

    private async Task StopKeepAliveAsync()
    {
        await _keepAlive.StopAsync();
        _owner.Forget(this);
    }
}
