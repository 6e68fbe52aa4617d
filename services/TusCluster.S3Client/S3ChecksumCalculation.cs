namespace TusCluster.S3Client;

/// <summary>When the SDK adds request checksums (maps to the SDK's RequestChecksumCalculation).</summary>
public enum S3ChecksumCalculation
{
    WhenSupported,
    WhenRequired,
}
