using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Engine.Writing;
using TusCluster.Protocol.Headers;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Engine.Handlers;

/// <summary>GET of a finished upload, with a single byte range for resumable downloads.</summary>
internal sealed class DownloadHandler(
    IUploadCoordination coordination,
    IUploadStore store,
    UploadFinisher finisher,
    FinalUploadAssembler assembler,
    UploadClock clock,
    IOptions<TusProtocolOptions> options)
{
    private const int CopyBufferSize = 256 * 1024;
    private readonly TusProtocolOptions _options = options.Value;

    public async Task HandleAsync(HttpContext context, string uploadId)
    {
        var aborted = context.RequestAborted;
        var record = UploadGuard.RequireActive(await coordination.GetAsync(uploadId, aborted), clock.Now);
        record = await assembler.RefreshAsync(record, clock.Now, aborted);
        record = await finisher.EnsureFinishedAsync(record, aborted)
            ?? throw new TusException(StatusCodes.Status409Conflict, "the upload is not finished yet");

        var length = record.Length ?? 0;
        var response = context.Response;
        var etag = new EntityTagHeaderValue($"\"{record.Id}-{length}\"");
        response.Headers.ETag = etag.ToString();
        response.Headers.AcceptRanges = "bytes";
        DownloadHeaders.Apply(response, record.Metadata);

        var (start, count) = (0L, length);
        if (ByteRange.Requested(context.Request, etag) is { } range)
        {
            if (!ByteRange.TryResolve(range, length, out start, out count))
            {
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                response.Headers.ContentRange = $"bytes */{length.ToString(CultureInfo.InvariantCulture)}";
                return;
            }

            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = new ContentRangeHeaderValue(start, start + count - 1, length).ToString();
        }
        else
        {
            response.StatusCode = StatusCodes.Status200OK;
        }

        response.ContentLength = count;
        if (count == 0)
        {
            return;
        }

        await using var source = await store.OpenReadAsync(record, start, count, aborted);
        try
        {
            await source.CopyToAsync(response.Body, CopyBufferSize, aborted);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && aborted.IsCancellationRequested)
        {
            // The client went away mid-download; it resumes with a Range request.
        }
    }
}
