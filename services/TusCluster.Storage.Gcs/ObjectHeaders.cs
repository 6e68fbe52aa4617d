using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.Gcs;

/// <summary>Content-Type and custom metadata of a final object, from the upload's Upload-Metadata (<see cref="FinalObjectHeaders"/>).</summary>
internal sealed record ObjectHeaders(string ContentType, Dictionary<string, string> Metadata)
{
    public static ObjectHeaders From(string? rawMetadata)
    {
        var headers = FinalObjectHeaders.From(rawMetadata);
        return new ObjectHeaders(headers.ContentType, headers.Metadata.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
    }
}
