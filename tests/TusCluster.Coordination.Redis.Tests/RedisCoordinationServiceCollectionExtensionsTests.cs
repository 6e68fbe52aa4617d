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
            ["Tus:Coordination:Redis:WaitForReplicas"] = "0",
            ["Tus:Coordination:Redis:WaitTimeout"] = "00:00:00.250",
        });

        var options = provider.GetRequiredService<IOptions<RedisCoordinationOptions>>().Value;
        Assert.Equal("di:", options.KeyPrefix);
        Assert.Equal(TimeSpan.FromSeconds(3), options.LeaseTtl);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.WaitTimeout);
        var coordination = provider.GetRequiredService<IUploadCoordination>();
        Assert.True(await coordination.IsHealthyAsync(Ct));
        Assert.Same(coordination, provider.GetRequiredService<IEventOutbox>());
        Assert.Same(coordination, provider.GetRequiredService<RedisUploadCoordination>());
    }

    [Theory]
    [InlineData("Endpoint", "localhost", "Tus:Coordination:Redis:Endpoint")]
    [InlineData("KeyPrefix", "a{b}:", "Tus:Coordination:Redis:KeyPrefix")]
    [InlineData("LeaseTtl", "00:00:00.100", "Tus:Coordination:Redis:LeaseTtl")]
    [InlineData("CommandTimeout", "00:00:10", "Tus:Coordination:Redis:CommandTimeout")]
    [InlineData("WaitForReplicas", "-1", "Tus:Coordination:Redis:WaitForReplicas")]
    [InlineData("Configuration", "serviceName=mymaster", "Tus:Coordination:Redis:Configuration")]
    [InlineData("Configuration", "127.0.0.1:6379,nosuchoption=1", "Tus:Coordination:Redis:Configuration")]
    [InlineData("Database", "-1", "Tus:Coordination:Redis:Database")]
    [InlineData("User", "alice", "Tus:Coordination:Redis:User")]
    public async Task Invalid_settings_are_reported_by_name(string key, string value, string named)
    {
        await using var provider = Build(new() { [$"Tus:Coordination:Redis:{key}"] = value });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RedisCoordinationOptions>>().Value);

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configuration_and_the_simple_connection_settings_are_refused_together()
    {
        await using var provider = Build(new()
        {
            ["Tus:Coordination:Redis:Configuration"] = "127.0.0.1:6379",
            ["Tus:Coordination:Redis:Endpoint"] = "127.0.0.1:6380",
        });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RedisCoordinationOptions>>().Value);

        Assert.Contains("Tus:Coordination:Redis:Configuration replaces Tus:Coordination:Redis:Endpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wait_timeout_not_shorter_than_the_command_timeout_is_refused_when_waiting_for_replicas()
    {
        await using var provider = Build(new()
        {
            ["Tus:Coordination:Redis:WaitForReplicas"] = "1",
            ["Tus:Coordination:Redis:WaitTimeout"] = "00:00:01",
        });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RedisCoordinationOptions>>().Value);

        Assert.Contains("Tus:Coordination:Redis:WaitTimeout", error.Message, StringComparison.Ordinal);
    }
}
