using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Redis.Tests;

public sealed class RedisCoordinationServiceCollectionExtensionsTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddRedisCoordination(configuration).BuildServiceProvider();
    }

    [Fact]
    public async Task Binds_the_options_and_serves_the_coordination()
    {
        await using var provider = Build(new()
        {
            ["Tus:Coordination:Redis:Endpoint"] = redis.Server.Endpoint,
            ["Tus:Coordination:Redis:KeyPrefix"] = "di:",
            ["Tus:Coordination:Redis:LeaseTtl"] = "00:00:03",
            ["Tus:Coordination:Redis:PoolSize"] = "2",
        });

        var options = provider.GetRequiredService<IOptions<RedisCoordinationOptions>>().Value;
        Assert.Equal("di:", options.KeyPrefix);
        Assert.Equal(TimeSpan.FromSeconds(3), options.LeaseTtl);
        Assert.Equal(2, options.PoolSize);
        var coordination = provider.GetRequiredService<IUploadCoordination>();
        Assert.True(await coordination.IsHealthyAsync(Ct));
    }

    [Theory]
    [InlineData("Endpoint", "localhost", "Tus:Coordination:Redis:Endpoint")]
    [InlineData("KeyPrefix", "a{b}:", "Tus:Coordination:Redis:KeyPrefix")]
    [InlineData("LeaseTtl", "00:00:00.100", "Tus:Coordination:Redis:LeaseTtl")]
    [InlineData("CommandTimeout", "00:00:10", "Tus:Coordination:Redis:CommandTimeout")]
    [InlineData("PoolSize", "0", "Tus:Coordination:Redis:PoolSize")]
    [InlineData("Database", "-1", "Tus:Coordination:Redis:Database")]
    [InlineData("User", "alice", "Tus:Coordination:Redis:User")]
    public async Task Invalid_settings_are_reported_by_name(string key, string value, string named)
    {
        await using var provider = Build(new() { [$"Tus:Coordination:Redis:{key}"] = value });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RedisCoordinationOptions>>().Value);

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
