using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Telemetry;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Engine.Handlers;

/// <summary>DELETE (termination): a running PATCH hands the upload over, then the upload becomes a tombstone.</summary>
internal sealed class DeleteHandler(
    IUploadCoordination coordination,
    IUploadStore store,
    UploadClock clock,
    IOptions<TusProtocolOptions> options,
    ILogger<DeleteHandler> logger)
{
    private readonly TusProtocolOptions _options = options.Value;

    public async Task HandleAsync(HttpContext context, string uploadId)
    {
        await using var lease = await coordination.AcquireAsync(uploadId, _options.LockAcquireTimeout, context.RequestAborted);
        var record = lease.Record switch
        {
            null => throw new TusException(StatusCodes.Status404NotFound, "upload not found"),
            { Status: UploadStatus.Terminated or UploadStatus.Expired } => throw new TusException(StatusCodes.Status410Gone, "upload is already gone"),
            var r => r,
        };

        // The tombstone is committed before the bytes go: a failure in between leaves orphaned bytes
        // for the sweeper, never a live record whose bytes are missing.
        await lease.CommitAsync(
            record with { Status = UploadStatus.Terminated, StoreState = null, ExpiresAt = clock.Now + _options.TombstoneRetention },
            context.RequestAborted);
        TusTelemetry.UploadTerminated();
        try
        {
            await store.DeleteAsync(record, CancellationToken.None);
        }
        catch (StoreUnavailableException e)
        {
            logger.LogWarning(e, "Upload {UploadId} was terminated but its bytes could not be deleted; the sweeper will reclaim them", uploadId);
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
