using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.DynamoDb.Tests;

public sealed class DynamoDbCoordinationServiceCollectionExtensionsTests(DynaliteServerFixture dynalite) : IClassFixture<DynaliteServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddDynamoDbCoordination(configuration).BuildServiceProvider();
    }

    [Fact]
    public void Defaults_are_the_agreed_ones()
    {
        var options = new DynamoDbCoordinationOptions();

        Assert.Null(options.ServiceUrl);
        Assert.Equal("us-east-1", options.Region);
        Assert.Equal("tuscluster", options.TableName);
        Assert.False(options.CreateTable);
        Assert.Equal(TimeSpan.FromSeconds(5), options.LeaseTtl);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.HandOverPollInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), options.RequestTimeout);
        Assert.True(new DynamoDbCoordinationOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public async Task Binds_the_options_creates_the_table_at_start_and_serves_the_coordination()
    {
        var table = $"di-{Guid.NewGuid():N}";
        await using var provider = Build(new()
        {
            ["Tus:Coordination:DynamoDb:ServiceUrl"] = dynalite.Server.Endpoint,
            ["Tus:Coordination:DynamoDb:Region"] = "eu-west-1",
            ["Tus:Coordination:DynamoDb:TableName"] = table,
            ["Tus:Coordination:DynamoDb:CreateTable"] = "true",
            ["Tus:Coordination:DynamoDb:LeaseTtl"] = "00:00:03",
            ["Tus:Coordination:DynamoDb:HandOverPollInterval"] = "00:00:00.250",
            ["Tus:Coordination:DynamoDb:RequestTimeout"] = "00:00:02",
            ["Tus:Coordination:DynamoDb:AccessKey"] = "key",
            ["Tus:Coordination:DynamoDb:SecretKey"] = "secret",
        });

        var options = provider.GetRequiredService<IOptions<DynamoDbCoordinationOptions>>().Value;
        Assert.Equal("eu-west-1", options.Region);
        Assert.Equal(table, options.TableName);
        Assert.True(options.CreateTable);
        Assert.Equal(TimeSpan.FromSeconds(3), options.LeaseTtl);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.HandOverPollInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), options.RequestTimeout);

        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(Ct);
        }

        var coordination = provider.GetRequiredService<DynamoDbUploadCoordination>();
        var description = await coordination.Client.DescribeTableAsync(table, Ct);
        Assert.Equal("ACTIVE", description.Table.TableStatus.Value);
        Assert.Same(coordination, provider.GetRequiredService<IUploadCoordination>());
        Assert.Same(coordination, provider.GetRequiredService<IEventOutbox>());
        Assert.True(await coordination.IsHealthyAsync(Ct));
    }

    [Theory]
    [InlineData("ServiceUrl", "localhost:8000", "Tus:Coordination:DynamoDb:ServiceUrl")]
    [InlineData("Region", "", "Tus:Coordination:DynamoDb:Region")]
    [InlineData("Region", "Frankfurt", "Tus:Coordination:DynamoDb:Region")]
    [InlineData("TableName", "ab", "Tus:Coordination:DynamoDb:TableName")]
    [InlineData("TableName", "no spaces", "Tus:Coordination:DynamoDb:TableName")]
    [InlineData("LeaseTtl", "00:00:00.500", "Tus:Coordination:DynamoDb:LeaseTtl")]
    [InlineData("HandOverPollInterval", "00:00:00.001", "Tus:Coordination:DynamoDb:HandOverPollInterval")]
    [InlineData("HandOverPollInterval", "00:00:05", "Tus:Coordination:DynamoDb:HandOverPollInterval")]
    [InlineData("RequestTimeout", "00:00:00", "Tus:Coordination:DynamoDb:RequestTimeout")]
    [InlineData("AccessKey", "key", "Tus:Coordination:DynamoDb:SecretKey")]
    [InlineData("SecretKey", "secret", "Tus:Coordination:DynamoDb:AccessKey")]
    public async Task Invalid_settings_are_reported_by_name(string key, string value, string named)
    {
        await using var provider = Build(new() { [$"Tus:Coordination:DynamoDb:{key}"] = value });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DynamoDbCoordinationOptions>>().Value);

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
