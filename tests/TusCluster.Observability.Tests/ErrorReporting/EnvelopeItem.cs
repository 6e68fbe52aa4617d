using System.Text;
using System.Text.Json;

namespace TusCluster.Observability.Tests.ErrorReporting;

/// <summary>
/// One item of a Sentry envelope: a JSON header line (type, optional length) and a payload, either
/// <c>length</c> bytes or up to the next newline. The envelope's own header line comes first.
/// </summary>
internal sealed record EnvelopeItem(string Type, string Text, JsonElement Payload)
{
    public static IReadOnlyList<EnvelopeItem> Parse(byte[] envelope)
    {
        var items = new List<EnvelopeItem>();
        var position = 0;
        _ = Line(envelope, ref position); // the envelope header: event id, DSN, sent_at
        while (position < envelope.Length)
        {
            var headerLine = Line(envelope, ref position);
            if (headerLine.Length == 0)
            {
                continue;
            }

            using var header = JsonDocument.Parse(headerLine);
            var type = header.RootElement.GetProperty("type").GetString() ?? string.Empty;
            byte[] payload;
            if (header.RootElement.TryGetProperty("length", out var length))
            {
                payload = envelope.AsSpan(position, length.GetInt32()).ToArray();
                position += payload.Length;
                if (position < envelope.Length && envelope[position] == (byte)'\n')
                {
                    position++;
                }
            }
            else
            {
                payload = Line(envelope, ref position);
            }

            var text = Encoding.UTF8.GetString(payload);
            var json = type is "event" or "transaction" or "session" or "client_report" ? JsonDocument.Parse(payload).RootElement.Clone() : default;
            items.Add(new EnvelopeItem(type, text, json));
        }

        return items;
    }

    private static byte[] Line(byte[] data, ref int position)
    {
        var end = Array.IndexOf(data, (byte)'\n', position);
        end = end < 0 ? data.Length : end;
        var line = data.AsSpan(position, end - position).ToArray();
        position = Math.Min(end + 1, data.Length);
        return line;
    }
}
