using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Headers;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Engine;

/// <summary>PATCH: appends a chunk at the committed offset, under the upload's lease.</summary>
internal sealed class PatchHandler(
    IUploadCoordination coordination,
    ChunkWriter writer,
    UploadFinisher finisher,
    UploadClock clock,
    IOptions<TusProtocolOptions> options)
{
    private readonly TusProtocolOptions _options = options.Value;

    public async Task HandleAsync(HttpContext context, string uploadId)
    {
        var request = context.Request;
        RequestHeaders.RequireOctetStream(request);
        var offset = RequestHeaders.OptionalNumber(request, TusHeaderNames.UploadOffset)
            ?? throw new TusException(StatusCodes.Status400BadRequest, "Upload-Offset is required");
        var newLength = RequestHeaders.OptionalNumber(request, TusHeaderNames.UploadLength);
        var (checksum, inTrailer) = ChecksumHeaders.Read(request, _options);

        await using var lease = await coordination.AcquireAsync(uploadId, _options.LockAcquireTimeout, context.RequestAborted);
        var record = UploadGuard.RequireActive(lease.Record, clock.Now);
        if (record.Kind == UploadKind.Final)
        {
            throw new TusException(StatusCodes.Status403Forbidden, "a final upload cannot be patched");
        }

        if (offset != record.Offset)
        {
            throw new TusException(StatusCodes.Status409Conflict, $"Upload-Offset {offset} does not match the upload's offset {record.Offset}")
            {
                Headers = [TusResponses.OffsetHeader(record.Offset)],
            };
        }

        ValidateNewLength(record, newLength);
        if (record.Status == UploadStatus.Finished || record.IsComplete)
        {
            // Nothing more can be appended; a writer that died before finishing is finished here.
            RequestHeaders.RequireBodyFits(request, 0);
            record = record.Status == UploadStatus.Finished ? record : await finisher.FinishAsync(lease, record, lease.Lost);
        }
        else
        {
            RequestHeaders.RequireBodyFits(request, (newLength ?? record.Length ?? _options.MaxUploadSize) - record.Offset);
            record = await writer.WriteAsync(context, lease, record, new ChunkRequest(checksum, inTrailer, newLength), isNew: false);
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
        TusResponses.SetOffset(context.Response, record.Offset);
        TusResponses.SetExpires(context.Response, record);
    }

    private void ValidateNewLength(UploadRecord record, long? newLength)
    {
        if (newLength is not { } length)
        {
            return;
        }

        if (record.Length is { } current)
        {
            if (current != length)
            {
                throw new TusException(StatusCodes.Status400BadRequest, "Upload-Length is already set and cannot change");
            }

            return;
        }

        if (length > _options.MaxUploadSize)
        {
            throw new TusException(StatusCodes.Status413PayloadTooLarge, $"Upload-Length exceeds the maximum of {_options.MaxUploadSize} bytes");
        }

        if (length < record.Offset)
        {
            throw new TusException(StatusCodes.Status400BadRequest, "Upload-Length is smaller than the bytes already received");
        }
    }
}
