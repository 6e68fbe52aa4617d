using Microsoft.Extensions.Logging.Abstractions;
using TusCluster.S3Client;

namespace TusCluster.Coordination.S3.Tests;

/// <summary>Builds coordination instances (each stands in for one replica) on a Ceph RGW.</summary>
internal static class Fixtures
{
    public static S3CoordinationOptions Options(CephRgw ceph, string keyPrefix, Action<S3CoordinationOptions>? configure = null)
    {
        var options = new S3CoordinationOptions
        {
            ServiceUrl = ceph.Endpoint,
            Region = ceph.Region,
            ForcePathStyle = true,
            ChecksumCalculation = S3ChecksumCalculation.WhenRequired,
            AccessKey = ceph.AccessKey,
            SecretKey = ceph.SecretKey,
            Bucket = CephServer.Bucket,
            KeyPrefix = keyPrefix,
            CreateBucket = true,
            LeaseTtl = TimeSpan.FromSeconds(5),
            PollInterval = TimeSpan.FromMilliseconds(50),
            // Generous for a loaded 2-core CI machine (a stopped gateway still fails at once: connection refused).
            RequestTimeout = TimeSpan.FromSeconds(5),
        };
        configure?.Invoke(options);
        return options;
    }

    public static S3UploadCoordination Create(CephRgw ceph, string keyPrefix, Action<S3CoordinationOptions>? configure = null) =>
        new(Microsoft.Extensions.Options.Options.Create(Options(ceph, keyPrefix, configure)), NullLogger<S3UploadCoordination>.Instance);
}
