using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using TusCluster.Observability.Telemetry;

namespace TusCluster.Observability.Logging;

/// <summary>
/// One JSON object a line: time, level, category, message, exception, the service and replica, the
/// trace and span of the current request, the upload the request is about, and every structured value
/// of the message and its scopes. Log collectors then join logs to traces and uploads without parsing text.
/// </summary>
internal sealed class JsonLogFormatter(ReplicaIdentity identity) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "tus-json";

    private const string UploadIdKey = "UploadId";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("level", logEntry.LogLevel.ToString());
            json.WriteString("category", logEntry.Category);
            if (logEntry.EventId.Id != 0)
            {
                json.WriteNumber("event_id", logEntry.EventId.Id);
            }

            json.WriteString("message", message);
            if (logEntry.Exception is { } exception)
            {
                json.WriteString("exception", exception.ToString());
            }

            json.WriteString("service", identity.ServiceName);
            json.WriteString("replica", identity.ReplicaName);
            var activity = Activity.Current;
            if (activity is not null)
            {
                json.WriteString("trace_id", activity.TraceId.ToHexString());
                json.WriteString("span_id", activity.SpanId.ToHexString());
            }

            var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
            scopeProvider?.ForEachScope(static (scope, values) => Collect(scope, values), attributes);
            Collect(logEntry.State, attributes);
            if (UploadIdOf(attributes, activity) is { } uploadId)
            {
                json.WriteString("upload_id", uploadId);
            }

            if (attributes.Count > 0)
            {
                json.WriteStartObject("attributes");
                foreach (var (key, value) in attributes)
                {
                    json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        textWriter.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        textWriter.Write('\n');
    }

    private static void Collect(object? state, Dictionary<string, object?> attributes)
    {
        if (state is IEnumerable<KeyValuePair<string, object?>> values)
        {
            foreach (var (key, value) in values)
            {
                if (key != "{OriginalFormat}")
                {
                    attributes[key] = value;
                }
            }
        }
    }

    private static string? UploadIdOf(Dictionary<string, object?> attributes, Activity? activity)
    {
        if (attributes.TryGetValue(UploadIdKey, out var value) && value is not null)
        {
            return Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
        }

        return ActivityUploadId.Find(activity);
    }
}
