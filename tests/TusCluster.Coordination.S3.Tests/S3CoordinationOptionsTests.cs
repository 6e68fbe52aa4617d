using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Coordination;
using TusCluster.S3Client;

namespace TusCluster.Coordination.S3.Tests;

public sealed class S3CoordinationOptionsTests(CephServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Bucket", "", "Bucket")]
    [InlineData("Bucket", "Uploads", "Bucket")]
    [InlineData("KeyPrefix", "/abs", "KeyPrefix")]
    [InlineData("ServiceUrl", "ftp://example", "ServiceUrl")]
    [InlineData("SecretKey", "", "AccessKey")]
    [InlineData("LeaseTtl", "00:00:00.500", "LeaseTtl")]
    [InlineData("PollInterval", "00:00:05", "PollInterval")]
    [InlineData("RequestTimeout", "00:00:00", "RequestTimeout")]
    public void Invalid_settings_are_reported_by_name(string key, string value, string named)
    {
        var settings = Valid();
        settings[$"Tus:Coordination:S3:{key}"] = value;
        using var provider = Build(settings);

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<S3CoordinationOptions>>().Value);
        Assert.Contains($"Tus:Coordination:S3:{named}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_valid_once_a_bucket_is_named()
    {
        var options = new S3CoordinationOptions { Bucket = "uploads" };

        Assert.Equal("coordination/", options.KeyPrefix);
        Assert.Equal(TimeSpan.FromSeconds(10), options.LeaseTtl);
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.PollInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), options.RequestTimeout);
        Assert.True(new S3CoordinationOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public async Task The_configuration_names_bind_and_serve_one_coordination_behind_both_interfaces()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Tus:Coordination:S3:ServiceUrl"] = server.Ceph.Endpoint,
            ["Tus:Coordination:S3:Region"] = server.Ceph.Region,
            ["Tus:Coordination:S3:Bucket"] = CephServer.Bucket,
            ["Tus:Coordination:S3:KeyPrefix"] = $"di-{Guid.NewGuid():N}/",
            ["Tus:Coordination:S3:ForcePathStyle"] = "true",
            ["Tus:Coordination:S3:ChecksumCalculation"] = "WhenRequired",
            ["Tus:Coordination:S3:AccessKey"] = server.Ceph.AccessKey,
            ["Tus:Coordination:S3:SecretKey"] = server.Ceph.SecretKey,
            ["Tus:Coordination:S3:LeaseTtl"] = "00:00:03",
            ["Tus:Coordination:S3:PollInterval"] = "00:00:00.100",
            ["Tus:Coordination:S3:RequestTimeout"] = "00:00:02",
        };
        await using var provider = Build(settings);

        var options = provider.GetRequiredService<IOptions<S3CoordinationOptions>>().Value;
        Assert.Equal(S3ChecksumCalculation.WhenRequired, options.ChecksumCalculation);
        Assert.Equal(TimeSpan.FromSeconds(3), options.LeaseTtl);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.PollInterval);
        Assert.Same(provider.GetRequiredService<IUploadCoordination>(), provider.GetRequiredService<IEventOutbox>());
        Assert.True(await provider.GetRequiredService<IUploadCoordination>().IsHealthyAsync(Ct));
    }

    private static Dictionary<string, string?> Valid() => new()
    {
        ["Tus:Coordination:S3:ServiceUrl"] = "http://127.0.0.1:9",
        ["Tus:Coordination:S3:Bucket"] = "uploads",
        ["Tus:Coordination:S3:AccessKey"] = "key",
        ["Tus:Coordination:S3:SecretKey"] = "secret",
    };

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddS3Coordination(configuration).BuildServiceProvider();
    }
}
