using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.Gcs;

/// <summary>Content-Type and custom metadata of a final object, from the upload's Upload-Metadata.</summary>
internal sealed record ObjectHeaders(string ContentType, Dictionary<string, string> Metadata)
{
    // GCS allows 8 KiB of custom metadata per object.
    private const int MaxMetadataBytes = 8000;

    public static ObjectHeaders From(string? rawMetadata)
    {
        var headers = StoredObjectHeaders.From(rawMetadata, MaxMetadataBytes);
        return new ObjectHeaders(headers.ContentType, headers.Metadata.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
    }
}
