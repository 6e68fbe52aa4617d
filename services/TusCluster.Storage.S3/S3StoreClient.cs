using Amazon.S3;
using TusCluster.S3Client;

namespace TusCluster.Storage.S3;

/// <summary>The SDK client of the store: the shared connection settings plus the store's own trusted CA.</summary>
internal static class S3StoreClient
{
    public static AmazonS3Client Create(S3StoreOptions options) =>
        S3ClientFactory.Create(options, config =>
        {
            if (!string.IsNullOrEmpty(options.CaCertificateFile))
            {
                config.HttpClientFactory = S3TrustedCaHttpClientFactory.FromPemFile(options.CaCertificateFile);
            }
        });
}
