using System.Globalization;
using Microsoft.AspNetCore.Http;
using TusCluster.Protocol.Headers;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Engine;

internal static class TusResponses
{
    public static Task WriteErrorAsync(HttpContext context, int status, string reason, IEnumerable<KeyValuePair<string, string>>? headers = null, string? body = null)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return Task.CompletedTask;
        }

        response.StatusCode = status;
        foreach (var (name, value) in headers ?? [])
        {
            response.Headers[name] = value;
        }

        if (HttpMethods.IsHead(context.Request.Method))
        {
            return Task.CompletedTask;
        }

        if (body is not null)
        {
            return response.WriteAsync(body, context.RequestAborted);
        }

        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync(reason + "\n", context.RequestAborted);
    }

    public static void SetOffset(HttpResponse response, long offset) =>
        response.Headers[TusHeaderNames.UploadOffset] = offset.ToString(CultureInfo.InvariantCulture);

    /// <summary>Upload-Expires in the RFC 9110 IMF-fixdate format, for unfinished uploads only.</summary>
    public static void SetExpires(HttpResponse response, UploadRecord record)
    {
        if (record is { Status: UploadStatus.Active, ExpiresAt: { } expires })
        {
            response.Headers[TusHeaderNames.UploadExpires] = expires.UtcDateTime.ToString("R", CultureInfo.InvariantCulture);
        }
    }

    public static KeyValuePair<string, string> OffsetHeader(long offset) =>
        new(TusHeaderNames.UploadOffset, offset.ToString(CultureInfo.InvariantCulture));
}
