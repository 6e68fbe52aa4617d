using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Engine.Writing;
using TusCluster.Protocol.Headers;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Engine.Handlers;

/// <summary>
/// HEAD: the upload's offset, length, metadata and concatenation state. Takes no lock, except to finish an upload
/// whose bytes are all committed but whose writer stopped before finishing it: a resuming client sends a HEAD, then
/// considers the upload done, so this is where it gets finished (and post-finish raised) without waiting for a GET.
/// </summary>
internal sealed class HeadHandler(IUploadCoordination coordination, FinalUploadAssembler assembler, UploadFinisher finisher, UploadClock clock, IOptions<TusProtocolOptions> options, ILogger<HeadHandler> logger)
{
    private readonly string _basePath = options.Value.BasePath;

    public async Task HandleAsync(HttpContext context, string uploadId)
    {
        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        var record = UploadGuard.RequireActive(await coordination.GetAsync(uploadId, context.RequestAborted), clock.Now);
        RequestProtocolFeature.RequireSameProtocol(context, record);
        record = await assembler.RefreshAsync(record, clock.Now, context.RequestAborted);
        if (record is { Status: UploadStatus.Active, IsComplete: true })
        {
            record = await FinishStrandedAsync(record, context.RequestAborted);
        }

        context.Features.Set(new UploadOutcome(record));

        response.StatusCode = StatusCodes.Status200OK;
        var headers = response.Headers;
        if (record.Kind != UploadKind.Final || record.Status == UploadStatus.Finished)
        {
            // A final upload still waiting for its partials has no offset yet (concatenation-unfinished).
            TusResponses.SetOffset(response, record.Offset);
        }

        if (record.Length is { } length)
        {
            headers[TusHeaderNames.UploadLength] = length.ToString(CultureInfo.InvariantCulture);
        }
        else if (record.Kind != UploadKind.Final)
        {
            headers[TusHeaderNames.UploadDeferLength] = "1";
        }

        if (record.Metadata is not null)
        {
            headers[TusHeaderNames.UploadMetadata] = record.Metadata;
        }

        if (record.Kind == UploadKind.Partial)
        {
            headers[TusHeaderNames.UploadConcat] = "partial";
        }
        else if (record.Kind == UploadKind.Final)
        {
            headers[TusHeaderNames.UploadConcat] = UploadConcatHeader.FormatFinal(record.PartialIds, _basePath);
        }

        TusResponses.SetExpires(response, record);
    }

    /// <summary>The finished record; the record as it is when finishing fails now (the HEAD still answers its offset).</summary>
    private async Task<UploadRecord> FinishStrandedAsync(UploadRecord record, CancellationToken cancellationToken)
    {
        try
        {
            return await finisher.EnsureFinishedAsync(record, cancellationToken) ?? record;
        }
        catch (Exception e) when (e is StoreUnavailableException or CoordinationUnavailableException or LockTimeoutException or LeaseLostException)
        {
            logger.LogWarning(e, "Upload {UploadId} has all its bytes but could not be finished now; the next request or the sweeper finishes it", record.Id);
            return record;
        }
    }
}
