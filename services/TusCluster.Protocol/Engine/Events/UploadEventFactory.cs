using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Events;
using TusCluster.Protocol.Headers;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Engine.Events;

/// <summary>Builds events from upload records and the request being answered, and their outbox entries.</summary>
internal sealed class UploadEventFactory(IUploadHooks hooks, IUploadStore store, UploadClock clock, ILogger<UploadEventFactory> logger)
{
    // The pod name in Kubernetes; receivers see which replica raised an event.
    private static readonly string Replica = Environment.MachineName;

    public UploadEvent Create(UploadEventType type, UploadSnapshot upload, HttpContext? context) => new()
    {
        Id = UploadId.New(),
        Type = type,
        Replica = Replica,
        OccurredAt = clock.Now,
        Upload = upload,
        HttpRequest = Request(context),
    };

    public UploadSnapshot Snapshot(UploadRecord record) => new()
    {
        Id = record.Id,
        Size = record.Length,
        SizeIsDeferred = record.Length is null,
        Offset = record.Offset,
        MetaData = Metadata(record.Metadata),
        IsPartial = record.Kind == UploadKind.Partial,
        IsFinal = record.Kind == UploadKind.Final,
        PartialUploads = record.Kind == UploadKind.Final ? [.. record.PartialIds] : null,
        Storage = store.Describe(record),
    };

    /// <summary>
    /// The outbox entry of a post-* event, due for redelivery once the committing replica has had time to
    /// deliver it. An event too large for the outbox loses its request headers, then its partial list
    /// (both are bounded by configuration, but their sum can pass the limit).
    /// </summary>
    public OutboxEntry ToOutboxEntry(UploadEvent uploadEvent)
    {
        var payload = UploadEventJson.Serialize(uploadEvent);
        if (Encoding.UTF8.GetByteCount(payload) > OutboxEntry.MaxPayloadBytes)
        {
            logger.LogWarning("The {Type} event of upload {UploadId} is larger than {Limit} bytes; it is delivered without request headers", uploadEvent.Type.Name(), uploadEvent.Upload.Id, OutboxEntry.MaxPayloadBytes);
            uploadEvent = uploadEvent with { HttpRequest = uploadEvent.HttpRequest with { Header = new Dictionary<string, string[]>() } };
            payload = UploadEventJson.Serialize(uploadEvent);
            if (Encoding.UTF8.GetByteCount(payload) > OutboxEntry.MaxPayloadBytes)
            {
                payload = UploadEventJson.Serialize(uploadEvent with { Upload = uploadEvent.Upload with { PartialUploads = [] } });
            }
        }

        return new OutboxEntry
        {
            Id = uploadEvent.Id,
            UploadId = uploadEvent.Upload.Id,
            DueAt = uploadEvent.OccurredAt + hooks.RedeliveryDelay,
            Payload = payload,
        };
    }

    public static IReadOnlyDictionary<string, string> Metadata(string? header) =>
        header is not null && UploadMetadata.TryParse(header, out var metadata, out _) ? metadata.ToStrings() : new Dictionary<string, string>();

    private RequestSnapshot Request(HttpContext? context)
    {
        if (context is null)
        {
            return new RequestSnapshot { Method = string.Empty, Uri = string.Empty, RemoteAddr = string.Empty };
        }

        var request = context.Request;
        var headers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in hooks.ForwardedHeaders)
        {
            if (request.Headers.TryGetValue(name, out var values) && values.Count > 0)
            {
                headers[name] = values.Where(v => v is not null).Select(v => v!).ToArray();
            }
        }

        var connection = context.Connection;
        var address = connection.RemoteIpAddress is { } ip
            ? new IPEndPoint(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip, connection.RemotePort).ToString()
            : string.Empty;
        return new RequestSnapshot
        {
            Method = request.Method,
            Uri = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw ? raw : request.PathBase + request.Path + request.QueryString,
            RemoteAddr = address,
            Header = headers,
        };
    }
}
