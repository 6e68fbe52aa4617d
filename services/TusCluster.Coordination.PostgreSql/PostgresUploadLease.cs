using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.PostgreSql;

/// <summary>
/// A lease on one upload, kept alive through the kit by moving <c>lease_expires_at</c> forward every third of the TTL
/// with an UPDATE conditional on the fence. Lost fires when the row no longer holds this lease's fence, or when no
/// renewal succeeded for a whole TTL (measured from before the renewal was sent, so locally the lease is given up no
/// later than the server lets it lapse).
/// </summary>
internal sealed partial class PostgresUploadLease : FencedUploadLease
{
    private readonly PostgresUploadCoordination _owner;

    public PostgresUploadLease(PostgresUploadCoordination owner, string uploadId, long fencingToken, UploadRecord? record, long acquireStartedAt)
        : base(uploadId, fencingToken, record, owner.Options.LeaseTtl, acquireStartedAt)
    {
        _owner = owner;
    }

    protected override async Task RemoveCoreAsync(CancellationToken cancellationToken)
    {
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

            return;
        }

        if (changed != 1)
        {
            MarkLost();
            throw new LeaseLostException($"The lease {FencingToken} of upload {UploadId} is no longer held; the record was not removed.");
        }
    }

    protected override async Task<LeaseRenewal> RenewAsync(CancellationToken stop)
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

    protected override Task ReleaseAsync() => _owner.ReleaseAsync(UploadId, FencingToken);

    protected override void OnReleased() => _owner.Released(UploadId);

    protected override void Forget() => _owner.Forget(this);
}
