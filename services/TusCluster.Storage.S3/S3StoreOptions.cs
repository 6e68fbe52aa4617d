using TusCluster.S3Client;

namespace TusCluster.Storage.S3;

/// <summary>Bound from <c>Tus:Storage:S3</c>; the connection settings are those of <see cref="S3ConnectionOptions"/>.</summary>
public sealed class S3StoreOptions : S3ConnectionOptions
{
    public const string SectionName = "Tus:Storage:S3";

    /// <summary>S3's own minimum size of every part but the last.</summary>
    public const long MinimumPartSize = 5L * 1024 * 1024;

    /// <summary>Largest part buffer: one array per buffer (arrays stay under 2 GiB) and far above any sensible setting.</summary>
    public const long MaximumPartSize = 1024L * 1024 * 1024;

    public string Bucket { get; set; } = string.Empty;

    /// <summary>Prepended to every object key, e.g. <c>uploads/</c>.</summary>
    public string KeyPrefix { get; set; } = string.Empty;

    /// <summary>Keys <c>{KeyPrefix}{yyyy}/{MM}/{dd}/{id}</c> from the upload's creation date.</summary>
    public bool DatePartitioned { get; set; }

    /// <summary>Bytes per part (every part but the last); grows when 9,000 parts would not cover Tus:MaxUploadSize.</summary>
    public long PartSize { get; set; } = 16L * 1024 * 1024;

    /// <summary>Parts one request uploads at the same time; each holds a part buffer.</summary>
    public int MaxConcurrentPartUploads { get; set; } = 4;

    /// <summary>
    /// Over an https endpoint, send parts and objects as UNSIGNED-PAYLOAD instead of hashing every byte for the
    /// SigV4 signature: TLS already protects their integrity in transit. Plain-http endpoints always sign.
    /// </summary>
    public bool UnsignedPayloadOverHttps { get; set; } = true;

    /// <summary>Create the bucket at start when it does not exist (development and tests).</summary>
    public bool CreateBucket { get; set; }
}
