using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace TusCluster.Storage.S3;

/// <summary>The SDK client the options describe.</summary>
internal static class S3ClientFactory
{
    public static AmazonS3Client Create(S3StoreOptions options)
    {
        var checksums = options.ChecksumCalculation == S3ChecksumCalculation.WhenRequired
            ? RequestChecksumCalculation.WHEN_REQUIRED
            : RequestChecksumCalculation.WHEN_SUPPORTED;
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            RequestChecksumCalculation = checksums,

            // A server that cannot take checksums on requests does not send them on responses either.
            ResponseChecksumValidation = checksums == RequestChecksumCalculation.WHEN_REQUIRED
                ? ResponseChecksumValidation.WHEN_REQUIRED
                : ResponseChecksumValidation.WHEN_SUPPORTED,
        };
        if (string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        else
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
        }

        return string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }
}
