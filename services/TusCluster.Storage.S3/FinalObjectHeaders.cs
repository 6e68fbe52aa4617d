using Amazon.S3.Model;
using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.S3;

/// <summary>
/// Content-Type and user metadata of an upload's final object, from its Upload-Metadata (see
/// <see cref="StoredObjectHeaders"/>), within S3's limit for user metadata.
/// </summary>
internal sealed class FinalObjectHeaders
{
    // S3 limits user metadata to 2 KB in total.
    private const int MaxMetadataBytes = 2000;

    private readonly StoredObjectHeaders _headers;

    private FinalObjectHeaders(StoredObjectHeaders headers) => _headers = headers;

    public string ContentType => _headers.ContentType;

    public IReadOnlyList<KeyValuePair<string, string>> Metadata => _headers.Metadata;

    public static FinalObjectHeaders From(string? rawMetadata) => new(StoredObjectHeaders.From(rawMetadata, MaxMetadataBytes));

    public void ApplyTo(MetadataCollection target)
    {
        foreach (var (key, value) in Metadata)
        {
            target.Add(key, value);
        }
    }
}
