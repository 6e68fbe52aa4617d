using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace TusCluster.S3Client;

/// <summary>The SDK client the connection options describe.</summary>
public static class S3ClientFactory
{
    /// <param name="configure">Settings of one user only (a coordination backend turns the SDK's retries off, for instance).</param>
    /// <param name="expectContinue">
    /// False: bodies are sent without waiting for <c>100 Continue</c>, which AWSSDK.S3 asks for on every PutObject.
    /// For small conditional writes: Ceph RGW answers a failed <c>If-Match</c> at once, without 100 Continue, keeps
    /// the connection open and reads the next bytes as the refused request's body, so client and server fall out of
    /// step on that connection ("invalid status line", hanging requests).
    /// </param>
    public static AmazonS3Client Create(S3ConnectionOptions options, Action<AmazonS3Config>? configure = null, bool expectContinue = true)
    {
        ArgumentNullException.ThrowIfNull(options);
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

        var authorities = string.IsNullOrEmpty(options.CaCertificateFile) ? null : S3HttpClients.ReadAuthorities(options.CaCertificateFile);
        if (authorities is not null || !expectContinue)
        {
            config.HttpClientFactory = new S3HttpClients(authorities, expectContinue);
        }

        configure?.Invoke(config);
        return string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }
}
