using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace TusCluster.Protocol.Headers;

/// <summary>
/// Content-Type and Content-Disposition from the upload's metadata. Both come from the client, so only
/// media types that a browser cannot run as a page are served inline; everything else is an attachment,
/// never sniffed, and sandboxed.
/// </summary>
internal static class DownloadHeaders
{
    private static readonly string[] InlinePrefixes = ["image/", "video/", "audio/"];
    private static readonly string[] InlineExact = ["text/plain", "application/pdf"];

    public static void Apply(HttpResponse response, string? rawMetadata)
    {
        var metadata = rawMetadata is not null && UploadMetadata.TryParse(rawMetadata, out var parsed, out _) ? parsed : UploadMetadata.Empty;
        var declared = metadata.GetString("filetype") ?? metadata.GetString("type") ?? metadata.GetString("contentType");
        var contentType = declared is not null && MediaTypeHeaderValue.TryParse(declared, out var mediaType) && mediaType.MediaType.Value!.Contains('/', StringComparison.Ordinal)
            ? mediaType.MediaType.Value
            : "application/octet-stream";
        var inline = !contentType.Contains("svg", StringComparison.OrdinalIgnoreCase)
            && (InlinePrefixes.Any(p => contentType.StartsWith(p, StringComparison.OrdinalIgnoreCase))
                || InlineExact.Contains(contentType, StringComparer.OrdinalIgnoreCase));

        response.ContentType = contentType;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";

        var disposition = new ContentDispositionHeaderValue(inline ? "inline" : "attachment");
        var fileName = metadata.GetString("filename") ?? metadata.GetString("name");
        if (!string.IsNullOrWhiteSpace(fileName))
        {
            // Both forms: filename* carries any Unicode name, filename is the ASCII fallback.
            disposition.SetHttpFileName(Path.GetFileName(fileName.Replace('\\', '/')));
        }

        response.Headers.ContentDisposition = disposition.ToString();
    }
}
