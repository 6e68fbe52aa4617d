using Microsoft.Extensions.Logging.Abstractions;
using TusCluster.Testing;

[assembly: AssemblyFixture(typeof(TusCluster.Storage.S3.Tests.S3TestServer))]

namespace TusCluster.Storage.S3.Tests;

/// <summary>
/// One real S3 (the shared Ceph RGW fixture) for the whole run of the store's tests, with one bucket
/// made by the store's own initializer. Tests share the bucket and keep apart by key prefix; data
/// stays small (memstore lives in RAM).
/// </summary>
public sealed class S3TestServer : IAsyncLifetime
{
    public const string Bucket = "tus-s3-tests";

    private readonly CephRgw _ceph = new();

    public async ValueTask InitializeAsync()
    {
        await _ceph.InitializeAsync();
        var options = Options(string.Empty);
        options.CreateBucket = true;
        using var client = S3ClientFactory.Create(options);
        var bucket = new S3Bucket(client, Microsoft.Extensions.Options.Options.Create(options), Microsoft.Extensions.Options.Options.Create(new Protocol.TusProtocolOptions()));
        await new BucketInitializer(bucket, Microsoft.Extensions.Options.Options.Create(options), NullLogger<BucketInitializer>.Instance).StartAsync(CancellationToken.None);
    }

    public ValueTask DisposeAsync() => _ceph.DisposeAsync();

    /// <summary>Store options for the same gateway over TLS, trusting the cluster's test CA.</summary>
    public S3StoreOptions TlsOptions(string keyPrefix)
    {
        var options = Options(keyPrefix);
        options.ServiceUrl = _ceph.TlsEndpoint;
        options.CaCertificateFile = _ceph.CaFile;
        return options;
    }

    /// <summary>Store options for this server, with small parts so that multipart paths run on little data.</summary>
    public S3StoreOptions Options(string keyPrefix) => new()
    {
        ServiceUrl = _ceph.Endpoint,
        Region = _ceph.Region,
        Bucket = Bucket,
        KeyPrefix = keyPrefix,
        ForcePathStyle = true,
        ChecksumCalculation = S3ChecksumCalculation.WhenRequired,
        AccessKey = _ceph.AccessKey,
        SecretKey = _ceph.SecretKey,
        PartSize = S3StoreOptions.MinimumPartSize,
        MaxConcurrentPartUploads = 2,
    };
}
