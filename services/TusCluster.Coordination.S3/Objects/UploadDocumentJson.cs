using System.Text;
using System.Text.Json;
using TusCluster.Coordination.Outbox;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.S3;

/// <summary>The document's JSON; the record and the events inside it are in the kit's one stored form.</summary>
internal static class UploadDocumentJson
{
    private const string Where = "S3";

    public static byte[] Serialize(UploadDocument document)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("fence", document.Fence);
            if (document.Lease is { } lease)
            {
                writer.WriteStartObject("lease");
                writer.WriteNumber("token", lease.Token);
                writer.WriteString("owner", lease.Owner);
                writer.WriteNumber("expires", lease.ExpiresAtMs);
                writer.WriteEndObject();
            }

            if (document.Record is { } record)
            {
                writer.WritePropertyName("record");
                writer.WriteRawValue(UploadRecordJson.Serialize(record), skipInputValidation: true);
            }

            if (document.ExpiryKey is { } expiryKey)
            {
                writer.WriteString("expiryKey", expiryKey);
            }

            writer.WriteStartArray("events");
            foreach (var entry in document.Events)
            {
                writer.WriteRawValue(OutboxEntryJson.Serialize(entry), skipInputValidation: true);
            }

            foreach (var unreadable in document.UnreadableEvents)
            {
                writer.WriteRawValue(unreadable);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <exception cref="CoordinationUnavailableException">The object is not a document (nothing is overwritten then).</exception>
    public static UploadDocument Deserialize(string uploadId, ReadOnlySpan<byte> json)
    {
        try
        {
            using var parsed = JsonDocument.Parse(json.ToArray());
            var root = parsed.RootElement;
            StoredLease? lease = null;
            if (root.TryGetProperty("lease", out var l))
            {
                lease = new StoredLease(l.GetProperty("token").GetInt64(), l.GetProperty("owner").GetString() ?? string.Empty, l.GetProperty("expires").GetInt64());
            }

            var (events, unreadable) = (new List<OutboxEntry>(), new List<string>());
            foreach (var element in root.TryGetProperty("events", out var e) ? e.EnumerateArray() : default)
            {
                var text = element.GetRawText();
                if (OutboxEntryJson.TryRead(Encoding.UTF8.GetBytes(text), out _) is { } entry)
                {
                    events.Add(entry);
                }
                else
                {
                    unreadable.Add(text);
                }
            }

            return new UploadDocument
            {
                Fence = root.GetProperty("fence").GetInt64(),
                Lease = lease,
                Record = root.TryGetProperty("record", out var r) ? UploadRecordJson.Deserialize(uploadId, r.GetRawText(), Where) : null,
                ExpiryKey = root.TryGetProperty("expiryKey", out var k) ? k.GetString() : null,
                Events = events,
                UnreadableEvents = unreadable,
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or CoordinationUnavailableException)
        {
            throw new CoordinationUnavailableException(
                $"The S3 document of upload {uploadId} is unreadable.", new UnreadableDocumentException(Encoding.UTF8.GetString(json), e));
        }
    }
}
