using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Engine.Events;
using TusCluster.Protocol.Events;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Telemetry;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Engine.Handlers;

/// <summary>DELETE (termination): a running PATCH hands the upload over, then the upload becomes a tombstone.</summary>
internal sealed class DeleteHandler(
    RequestLeases leases,
    IUploadStore store,
    UploadClock clock,
    IUploadHooks hooks,
    UploadEventFactory events,
    IOptions<TusProtocolOptions> options,
    ILogger<DeleteHandler> logger)
{
    private readonly TusProtocolOptions _options = options.Value;

    public async Task HandleAsync(HttpContext context, string uploadId)
    {
        await using var lease = await leases.AcquireAsync(uploadId, context.RequestAborted);
        var record = lease.Record switch
        {
            null => throw new TusException(StatusCodes.Status404NotFound, "upload not found"),
            { Status: UploadStatus.Terminated or UploadStatus.Expired } => throw new TusException(StatusCodes.Status410Gone, "upload is already gone"),
            var r => r,
        };

        RequestProtocolFeature.RequireSameProtocol(context, record);

        if (hooks.IsEnabled(UploadEventType.PreTerminate))
        {
            var decision = await hooks.RunBlockingAsync(events.Create(UploadEventType.PreTerminate, events.Snapshot(record), context), context.RequestAborted);
            if (decision.RejectTermination)
            {
                throw HookAnswers.Refusal(decision, StatusCodes.Status400BadRequest, "the termination was rejected by the pre-terminate hook");
            }
        }

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
