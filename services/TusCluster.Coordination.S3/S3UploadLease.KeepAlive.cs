using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.S3;

/// <summary>Renewal, loss and release of the lease: each one conditional PUT of the document.</summary>
internal sealed partial class S3UploadLease
{
    protected override async Task<LeaseRenewal> RenewAsync(CancellationToken stop)
    {
        var expires = S3UploadCoordination.NowMilliseconds() + _owner.LeaseTtlMilliseconds;
        try
        {
            var held = await WriteAsync(
                (document, _) => Task.FromResult(document with { Lease = document.Lease! with { ExpiresAtMs = expires } }),
                stop);
            return held ? LeaseRenewal.Renewed : LeaseRenewal.NotHeld;
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

    /// <summary>Clears the lease if the document still holds this fence (best effort: otherwise it expires after the TTL).</summary>
    protected override async Task ReleaseAsync()
    {
        try
        {
            await WriteAsync((document, _) => Task.FromResult(document with { Lease = null }), CancellationToken.None);
        }
        catch (Exception e) when (e is CoordinationUnavailableException or ObjectDisposedException)
        {
            // S3 is unreachable (or the coordination is gone): the lease expires by itself after the TTL.
        }

        _owner.Released(UploadId, FencingToken, HandOverRequested.IsCancellationRequested);
    }

    protected override void OnReleased() => _owner.Released(UploadId, FencingToken, HandOverRequested.IsCancellationRequested);

    protected override void Forget() => _owner.Forget(this);
}
