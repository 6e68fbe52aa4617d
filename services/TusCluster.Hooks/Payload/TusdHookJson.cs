using System.Text.Json;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Payload;

/// <summary>
/// The tusd v2 hook JSON shared by the HTTP, file and AMQP sinks: an <see cref="UploadEvent"/> becomes
/// tusd's hook request, a receiver's answer becomes a <see cref="HookDecision"/>.
/// </summary>
internal static class TusdHookJson
{
    /// <summary>The default limit of a hook response body (tusd has none); a decision is a few hundred bytes.</summary>
    public const int DefaultMaxResponseBytes = 64 * 1024;

    public static TusdHookRequest ToRequest(UploadEvent uploadEvent)
    {
        var upload = uploadEvent.Upload;
        var request = uploadEvent.HttpRequest;
        return new TusdHookRequest(
            uploadEvent.Type.Name(),
            new TusdHookEvent(
                new TusdFileInfo(
                    upload.Id,
                    upload.SizeIsDeferred ? null : upload.Size,
                    upload.SizeIsDeferred,
                    upload.Offset,
                    upload.MetaData,
                    upload.IsPartial,
                    upload.IsFinal,
                    upload.PartialUploads,
                    upload.Storage),
                new TusdHttpRequest(request.Method, request.Uri, request.RemoteAddr, CanonicalHeaders(request.Header))),
            uploadEvent.Id,
            uploadEvent.Replica,
            uploadEvent.OccurredAt.ToUniversalTime());
    }

    public static byte[] SerializeRequest(UploadEvent uploadEvent) =>
        JsonSerializer.SerializeToUtf8Bytes(ToRequest(uploadEvent), TusdHookJsonContext.Default.TusdHookRequest);

    /// <summary>Reads a receiver's answer; an empty (or whitespace) body means "proceed" as with tusd's file hooks.</summary>
    /// <exception cref="HookUnavailableException">The body is too large, not JSON, or of the wrong shape.</exception>
    public static HookDecision ParseResponse(ReadOnlySpan<byte> body, int maxBytes = DefaultMaxResponseBytes)
    {
        if (body.Length > maxBytes)
        {
            throw new HookUnavailableException($"The hook response has more than {maxBytes} bytes.");
        }

        if (body.Trim(" \t\r\n"u8).IsEmpty)
        {
            return HookDecision.Proceed;
        }

        TusdHookResponse? response;
        try
        {
            response = JsonSerializer.Deserialize(body, TusdHookJsonContext.Default.TusdHookResponse);
        }
        catch (JsonException exception)
        {
            throw new HookUnavailableException($"The hook response is not a tusd hook response: {exception.Message}", exception);
        }

        return response is null ? HookDecision.Proceed : ToDecision(response);
    }

    private static HookDecision ToDecision(TusdHookResponse response) => new()
    {
        HttpResponse = ToHttpResponse(response.HTTPResponse),
        RejectUpload = response.RejectUpload,
        RejectTermination = response.RejectTermination,
        ChangeId = string.IsNullOrEmpty(response.ChangeFileInfo?.ID) ? null : response.ChangeFileInfo.ID,
        ChangeMetaData = WithoutNulls(response.ChangeFileInfo?.MetaData),
    };

    private static HookHttpResponse? ToHttpResponse(TusdHttpResponse? response)
    {
        if (response is null || (response.StatusCode == 0 && string.IsNullOrEmpty(response.Body) && (response.Header is null || response.Header.Count == 0)))
        {
            return null;
        }

        return new HookHttpResponse
        {
            StatusCode = response.StatusCode == 0 ? null : response.StatusCode,
            Body = string.IsNullOrEmpty(response.Body) ? null : response.Body,
            Header = WithoutNulls(response.Header) ?? [],
        };
    }

    // Go leaves a string untouched when it reads null, so a null value is an empty string.
    private static Dictionary<string, string>? WithoutNulls(Dictionary<string, string?>? values) =>
        values?.ToDictionary(pair => pair.Key, pair => pair.Value ?? string.Empty, StringComparer.Ordinal);

    private static Dictionary<string, string[]> CanonicalHeaders(IReadOnlyDictionary<string, string[]> header)
    {
        var canonical = new Dictionary<string, string[]>(header.Count, StringComparer.Ordinal);
        foreach (var (name, values) in header)
        {
            var key = GoHeaderName.Canonical(name);
            canonical[key] = canonical.TryGetValue(key, out var existing) ? [.. existing, .. values] : values;
        }

        return canonical;
    }
}
