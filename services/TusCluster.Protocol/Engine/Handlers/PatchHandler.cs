using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Engine.Events;
using TusCluster.Protocol.Engine.Writing;
using TusCluster.Protocol.Headers;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Engine.Handlers;

/// <summary>PATCH: appends a chunk at the committed offset, under the upload's lease.</summary>
internal sealed class PatchHandler(
    RequestLeases leases,
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

        await using var lease = await leases.AcquireAsync(uploadId, context.RequestAborted);
        var record = UploadGuard.RequireActive(lease.Record, clock.Now);
        RequestProtocolFeature.RequireSameProtocol(context, record);
        if (record.Kind == UploadKind.Final)
        {
            throw new TusException(StatusCodes.Status403Forbidden, "a final upload cannot be patched");
        }

        if (offset != record.Offset)
        {
            throw new TusException(StatusCodes.Status409Conflict, $"Upload-Offset {offset} does not match the upload's offset {record.Offset}")
            {
                Headers = [TusResponses.OffsetHeader(record.Offset)],
                Problem = new(TusProblemKind.MismatchingOffset, record.Offset, offset),
            };
        }

        ValidateNewLength(record, newLength);
        var wasComplete = record.Status == UploadStatus.Finished || record.IsComplete;
        if (wasComplete)
        {
            // Nothing more can be appended; a writer that died before finishing is finished here.
            RequestHeaders.RequireBodyFits(request, 0, new(TusProblemKind.CompletedUpload));

            record = record.Status == UploadStatus.Finished ? record : await finisher.FinishAsync(lease, record, lease.Lost);
        }
        else
        {
            RequestHeaders.RequireBodyFits(request, (newLength ?? record.Length ?? _options.MaxUploadSize) - record.Offset);
            record = await RenewExpiryIfAgeingAsync(lease, record);
            var chunk = new ChunkRequest(checksum, inTrailer, newLength, RequestProtocolFeature.CompletesAtEndOf(context));
            record = await writer.WriteAsync(context, lease, record, chunk, isNew: false);
        }

        context.Features.Set(new UploadOutcome(record, wasComplete));

        context.Response.StatusCode = StatusCodes.Status204NoContent;
        TusResponses.SetOffset(context.Response, record.Offset);
        TusResponses.SetExpires(context.Response, record);
    }

    /// <summary>
    /// Pushes the expiry out before the body streams when less than half the upload's lifetime is left.
    /// A PATCH may end up committing nothing (no byte arrived, or a checksummed body cut short when the
    /// sweeper asked for the upload): the client is still there, so its upload must not expire under it.
    /// An upload written to regularly never pays this extra round trip.
    /// </summary>
    private async Task<UploadRecord> RenewExpiryIfAgeingAsync(IUploadLease lease, UploadRecord record)
    {
        if (record.ExpiresAt is not { } expiresAt || _options.Expiration <= TimeSpan.Zero || expiresAt - clock.Now > _options.Expiration / 2)
        {
            return record;
        }

        return await lease.CommitAsync(record with { ExpiresAt = clock.ExpiryFromNow() }, lease.Lost);
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
                // On a complete upload the draft's precise reason is that nothing can be appended any more.
                throw new TusException(StatusCodes.Status400BadRequest, "Upload-Length is already set and cannot change")
                {
                    Problem = new(record.Offset == current ? TusProblemKind.CompletedUpload : TusProblemKind.InconsistentLength),
                };
            }

            return;
        }

        if (length > _options.MaxUploadSize)
        {
            throw new TusException(StatusCodes.Status413PayloadTooLarge, $"Upload-Length exceeds the maximum of {_options.MaxUploadSize} bytes");
        }

        if (length < record.Offset)
        {
            throw new TusException(StatusCodes.Status400BadRequest, "Upload-Length is smaller than the bytes already received")
            {
                Problem = new(TusProblemKind.InconsistentLength),
            };
        }
    }
}
