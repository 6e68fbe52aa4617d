namespace TusCluster.S3Client;

/// <summary>
/// How to reach an S3-compatible service; the options of each S3 user (store, coordination) derive from it, so
/// the keys are the same under each section, e.g. <c>Tus:Storage:S3:ServiceUrl</c>.
/// </summary>
public abstract class S3ConnectionOptions
{
    /// <summary>Endpoint of an S3-compatible service (e.g. http://127.0.0.1:7480); empty for AWS itself.</summary>
    public string? ServiceUrl { get; set; }

    public string Region { get; set; } = "us-east-1";

    /// <summary>Path-style addressing (<c>endpoint/bucket/key</c>), which most S3-compatible servers need.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>WhenRequired for servers that reject the SDK's default aws-chunked CRC trailers (Ceph RGW).</summary>
    public S3ChecksumCalculation ChecksumCalculation { get; set; } = S3ChecksumCalculation.WhenSupported;

    /// <summary>With <see cref="SecretKey"/>; both empty: the default AWS credential chain.</summary>
    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary>
    /// PEM file with the CA certificate(s) an https <c>ServiceUrl</c>'s certificate must chain to, instead of the
    /// system's trusted roots (a private CA); empty: the system's roots.
    /// </summary>
    public string? CaCertificateFile { get; set; }
}
