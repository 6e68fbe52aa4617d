using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.S3.Tests;

public sealed class S3StoreOptionsTests(S3TestServer ceph)
{
    [Theory]
    [InlineData("Bucket", "", "Bucket")]
    [InlineData("Bucket", "b", "Bucket")]
    [InlineData("Bucket", "Uploads", "Bucket")]
    [InlineData("Bucket", "up..loads", "Bucket")]
    [InlineData("Bucket", "uploads/x", "Bucket")]
    [InlineData("PartSize", "1048576", "PartSize")]
    [InlineData("MaxConcurrentPartUploads", "0", "MaxConcurrentPartUploads")]
    [InlineData("ServiceUrl", "ftp://example", "ServiceUrl")]
    [InlineData("SecretKey", "", "AccessKey")]
    [InlineData("KeyPrefix", "/abs", "KeyPrefix")]
    [InlineData("CaCertificateFile", "/etc/hostname", "CaCertificateFile")]
    public void InvalidSettingsAreReportedByName(string key, string value, string named)
    {
        var settings = Valid();
        settings[$"Tus:Storage:S3:{key}"] = value;
        using var provider = Build(settings);

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<S3StoreOptions>>().Value);
        Assert.Contains($"Tus:Storage:S3:{named}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheConfigurationNamesBind()
    {
        var settings = Valid();
        settings["Tus:Storage:S3:DatePartitioned"] = "true";
        settings["Tus:Storage:S3:ChecksumCalculation"] = "WhenRequired";
        settings["Tus:Storage:S3:PartSize"] = "8388608";
        settings["Tus:Storage:S3:CreateBucket"] = "true";
        using var provider = Build(settings);

        var options = provider.GetRequiredService<IOptions<S3StoreOptions>>().Value;
        Assert.True(options.DatePartitioned);
        Assert.True(options.ForcePathStyle);
        Assert.True(options.CreateBucket);
        Assert.Equal(S3ChecksumCalculation.WhenRequired, options.ChecksumCalculation);
        Assert.Equal(8L * 1024 * 1024, options.PartSize);
        Assert.IsType<S3UploadStore>(provider.GetRequiredService<IUploadStore>());
        Assert.IsType<S3UploadInventory>(provider.GetRequiredService<IUploadInventory>());
    }

    [Theory]
    [InlineData(16L * 1024 * 1024, 10L * 1024 * 1024 * 1024, 16L * 1024 * 1024)]
    [InlineData(5L * 1024 * 1024, 1024L * 1024 * 1024 * 1024, 117L * 1024 * 1024)]
    public void ThePartSizeGrowsSoThatThePartsCoverTheLargestUpload(long configured, long maxUploadSize, long expected)
    {
        var size = S3Bucket.EffectivePartSize(configured, maxUploadSize);
        Assert.Equal(expected, size);
        Assert.True((long)size * 9_000 >= maxUploadSize);
    }

    [Fact]
    public async Task CreateBucketCreatesAMissingBucket()
    {
        var options = ceph.Options(string.Empty);
        options.Bucket = $"created-{Guid.NewGuid():N}";
        using var client = S3ClientFactory.Create(options);
        var bucket = new S3Bucket(client, Options.Create(options), Options.Create(new Protocol.TusProtocolOptions()));
        var initializer = new BucketInitializer(bucket, Options.Create(options), NullLogger<BucketInitializer>.Instance);

        options.CreateBucket = true;
        await initializer.StartAsync(TestContext.Current.CancellationToken);
        await initializer.StartAsync(TestContext.Current.CancellationToken);

        Assert.True(await new S3UploadStore(bucket).IsHealthyAsync(TestContext.Current.CancellationToken));
        await client.DeleteBucketAsync(options.Bucket, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task AnUnreachableS3AtStartDoesNotStopTheServiceAndCreationIsRetriedUntilStopped()
    {
        var options = ceph.Options(string.Empty);
        options.ServiceUrl = "http://127.0.0.1:9";
        options.Bucket = "unreachable";
        options.CreateBucket = true;
        using var client = S3ClientFactory.Create(options);
        var bucket = new S3Bucket(client, Options.Create(options), Options.Create(new Protocol.TusProtocolOptions()));
        using var initializer = new BucketInitializer(bucket, Options.Create(options), NullLogger<BucketInitializer>.Instance);

        await initializer.StartAsync(TestContext.Current.CancellationToken);

        Assert.False(await new S3UploadStore(bucket).IsHealthyAsync(TestContext.Current.CancellationToken));
        await initializer.StopAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    private static Dictionary<string, string?> Valid() => new()
    {
        ["Tus:Storage:S3:ServiceUrl"] = "http://127.0.0.1:9",
        ["Tus:Storage:S3:Bucket"] = "uploads",
        ["Tus:Storage:S3:ForcePathStyle"] = "true",
        ["Tus:Storage:S3:AccessKey"] = "key",
        ["Tus:Storage:S3:SecretKey"] = "secret",
    };

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddS3UploadStore(configuration).BuildServiceProvider();
    }
}
