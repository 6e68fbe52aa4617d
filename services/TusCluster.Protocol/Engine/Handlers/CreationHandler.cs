using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Engine.Events;
using TusCluster.Protocol.Events;
using TusCluster.Protocol.Engine.Writing;
using TusCluster.Protocol.Headers;
using TusCluster.Protocol.Http;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Telemetry;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Engine.Handlers;

/// <summary>POST: creation, creation-with-upload, creation-defer-length and concatenation.</summary>
internal sealed class CreationHandler(
    RequestLeases leases,
    IUploadStore store,
    ChunkWriter writer,
    UploadFinisher finisher,
    FinalUploadAssembler assembler,
    PublicUrlResolver urls,
    UploadClock clock,
    IUploadHooks hooks,
    UploadEventFactory events,
    IOptions<TusProtocolOptions> options)
{
    private readonly TusProtocolOptions _options = options.Value;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var metadata = ReadMetadata(request);
        var concat = request.Headers[TusHeaderNames.UploadConcat].ToString();
        var length = RequestHeaders.OptionalNumber(request, TusHeaderNames.UploadLength);
        var deferHeader = request.Headers[TusHeaderNames.UploadDeferLength].ToString();
        var hasBody = RequestHeaders.HasBody(request);

        var record = new UploadRecord
        {
            Id = UploadId.New(),
            Metadata = metadata,
            CreatedAt = clock.Now,
            ExpiresAt = clock.ExpiryFromNow(),
            Protocol = RequestProtocolFeature.Of(context),
        };

        IReadOnlyList<UploadRecord> partials = [];
        if (concat.Length > 0 && UploadConcatHeader.IsFinal(concat))
        {
            if (length is not null || deferHeader.Length > 0 || hasBody)
            {
                throw new TusException(StatusCodes.Status400BadRequest, "a final upload takes no Upload-Length, Upload-Defer-Length or body");
            }

            if (!UploadConcatHeader.TryParseFinal(concat, urls.Scope(context), _options.MaxConcatParts, out var ids, out var error))
            {
                throw new TusException(StatusCodes.Status400BadRequest, error);
            }

            partials = await assembler.LoadPartialsAsync(ids, clock.Now, context.RequestAborted);
            record = record with { Kind = UploadKind.Final, PartialIds = [.. ids], Length = assembler.TotalLength(partials) };
        }
        else
        {
            if (concat.Length > 0 && !UploadConcatHeader.IsPartial(concat))
            {
                throw new TusException(StatusCodes.Status400BadRequest, "Upload-Concat must be 'partial' or 'final;<urls>'");
            }

            record = record with { Kind = concat.Length > 0 ? UploadKind.Partial : UploadKind.Regular, Length = ReadLength(length, deferHeader) };
        }

        var chunk = default(ChunkRequest);
        if (hasBody)
        {
            RequestHeaders.RequireOctetStream(request);
            RequestHeaders.RequireBodyFits(request, record.Length ?? _options.MaxUploadSize);
            var (checksum, inTrailer) = ChecksumHeaders.Read(request, _options);
            chunk = new ChunkRequest(checksum, inTrailer, null, RequestProtocolFeature.CompletesAtEndOf(context));
        }

        record = await RunPreCreateAsync(context, record);

        // Built before anything is stored: a Location that cannot be built must not leave an upload behind.
        var location = urls.UploadUrl(context, record.Id);
        TusTelemetry.TagUpload(record.Id);
        await using var lease = await leases.AcquireAsync(record.Id, context.RequestAborted);
        if (lease.Record is not null)
        {
            // Only an id chosen by a pre-create hook can be taken; a random one never is.
            throw new TusException(StatusCodes.Status409Conflict, "the upload id chosen by the pre-create hook is already in use");
        }

        record = record with { StoreState = await store.CreateAsync(record, context.RequestAborted) };
        try
        {
            if (record.Kind == UploadKind.Final)
            {
                record = await assembler.CreateAsync(lease, record, partials, context.RequestAborted);
            }
            else if (hasBody)
            {
                record = await writer.WriteAsync(context, lease, record, chunk, isNew: true);
            }
            else
            {
                record = await lease.CommitAsync(record, context.RequestAborted);
                if (record.IsComplete)
                {
                    record = await finisher.FinishAsync(lease, record, context.RequestAborted);
                }
            }
        }
        catch (Exception e) when (e is TusException or LockTimeoutException or HookUnavailableException)
        {
            // A creation refused for its body (too long, checksum mismatch, malformed) or a final upload
            // that cannot be built (a partial deleted meanwhile, or locked past the timeout while it was
            // being finished) leaves nothing behind: nothing was committed.
            await store.DeleteAsync(record, CancellationToken.None);
            throw;
        }

        TusTelemetry.UploadCreated(record.Kind);
        context.Features.Set(new UploadOutcome(record));
        var response = context.Response;
        response.StatusCode = StatusCodes.Status201Created;
        response.Headers.Location = location;
        TusResponses.SetExpires(response, record);
        if (hasBody)
        {
            TusResponses.SetOffset(response, record.Offset);
        }
    }

    /// <summary>
    /// pre-create: the receiver may refuse (its status, body and headers reach the client) or give the
    /// upload another id or metadata. What it gives is checked like a client's input, but a bad value is
    /// the receiver's fault, so the client gets 502.
    /// </summary>
    private async Task<UploadRecord> RunPreCreateAsync(HttpContext context, UploadRecord record)
    {
        if (!hooks.IsEnabled(UploadEventType.PreCreate))
        {
            return record;
        }

        var snapshot = events.Snapshot(record) with { Id = string.Empty, Storage = null };
        var decision = await hooks.RunBlockingAsync(events.Create(UploadEventType.PreCreate, snapshot, context), context.RequestAborted);
        if (decision.RejectUpload)
        {
            throw HookAnswers.Refusal(decision, StatusCodes.Status400BadRequest, "the upload was rejected by the pre-create hook");
        }

        if (decision.ChangeId is { } id)
        {
            record = UploadId.IsUpload(id)
                ? record with { Id = id }
                : throw new TusException(StatusCodes.Status502BadGateway, "the pre-create hook chose an upload id that is not 32 lowercase hex characters");
        }

        if (decision.ChangeMetaData is { } changed)
        {
            record = record with { Metadata = FormatMetadata(changed) };
        }

        return record;
    }

    private string? FormatMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        string? header;
        try
        {
            header = UploadMetadata.Format(metadata);
        }
        catch (ArgumentException)
        {
            throw new TusException(StatusCodes.Status502BadGateway, "the pre-create hook chose a metadata key that Upload-Metadata cannot carry");
        }

        return header is not null && Encoding.UTF8.GetByteCount(header) > _options.MaxMetadataSize
            ? throw new TusException(StatusCodes.Status502BadGateway, $"the pre-create hook chose metadata larger than {_options.MaxMetadataSize} bytes")
            : header;
    }

    private long? ReadLength(long? length, string deferHeader)
    {
        if (deferHeader.Length > 0)
        {
            return deferHeader != "1"
                ? throw new TusException(StatusCodes.Status400BadRequest, "Upload-Defer-Length must be 1")
                : length is not null
                    ? throw new TusException(StatusCodes.Status400BadRequest, "send either Upload-Length or Upload-Defer-Length, not both")
                    : null;
        }

        return length switch
        {
            null => throw new TusException(StatusCodes.Status400BadRequest, "Upload-Length or Upload-Defer-Length: 1 is required"),
            > 0 when length > _options.MaxUploadSize => throw new TusException(StatusCodes.Status413PayloadTooLarge, $"Upload-Length exceeds the maximum of {_options.MaxUploadSize} bytes"),
            _ => length,
        };
    }

    private string? ReadMetadata(HttpRequest request)
    {
        var header = request.Headers[TusHeaderNames.UploadMetadata];
        if (header.Count == 0)
        {
            return null;
        }

        var value = header.Count == 1 ? header[0]! : throw new TusException(StatusCodes.Status400BadRequest, "Upload-Metadata must be sent once");
        if (Encoding.UTF8.GetByteCount(value) > _options.MaxMetadataSize)
        {
            throw new TusException(StatusCodes.Status431RequestHeaderFieldsTooLarge, $"Upload-Metadata is larger than {_options.MaxMetadataSize} bytes");
        }

        return UploadMetadata.TryParse(value, out _, out var error)
            ? value
            : throw new TusException(StatusCodes.Status400BadRequest, error);
    }
}
