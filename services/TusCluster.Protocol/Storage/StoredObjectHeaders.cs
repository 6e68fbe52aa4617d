using Microsoft.Net.Http.Headers;
using TusCluster.Protocol.Headers;

namespace TusCluster.Protocol.Storage;

/// <summary>
/// Content-Type and user metadata for an object store's final object, from the upload's Upload-Metadata:
/// the content type as the download handler chooses it, and each pair whose key and value fit in an HTTP
/// header, up to a total size the store allows. Shared by the object stores so they agree.
/// </summary>
public sealed class StoredObjectHeaders
{
    private StoredObjectHeaders(string contentType, IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        ContentType = contentType;
        Metadata = metadata;
    }

    public string ContentType { get; }

    /// <summary>Keys in lower case, in ordinal order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; }

    public static StoredObjectHeaders From(string? rawMetadata, int maxMetadataBytes)
    {
        var metadata = rawMetadata is not null && UploadMetadata.TryParse(rawMetadata, out var parsed, out _) ? parsed : UploadMetadata.Empty;
        var declared = metadata.GetString("filetype") ?? metadata.GetString("type") ?? metadata.GetString("contentType");
        var contentType = declared is not null && MediaTypeHeaderValue.TryParse(declared, out var mediaType) && mediaType.MediaType.Value!.Contains('/', StringComparison.Ordinal)
            ? mediaType.MediaType.Value
            : "application/octet-stream";

        var pairs = new List<KeyValuePair<string, string>>();
        var size = 0;
        foreach (var key in metadata.Keys.Order(StringComparer.Ordinal))
        {
            var value = metadata.GetString(key) ?? string.Empty;
            if (IsHeaderToken(key) && value.All(c => c is >= ' ' and <= '~') && size + key.Length + value.Length <= maxMetadataBytes)
            {
                size += key.Length + value.Length;
                pairs.Add(new(key.ToLowerInvariant(), value));
            }
        }

        return new StoredObjectHeaders(contentType, pairs);
    }

    private static bool IsHeaderToken(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
