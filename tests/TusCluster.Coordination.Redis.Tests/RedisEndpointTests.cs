using TusCluster.Coordination.Redis.Connection;

namespace TusCluster.Coordination.Redis.Tests;

public sealed class RedisEndpointTests
{
    [Theory]
    [InlineData("127.0.0.1:6379", "127.0.0.1", 6379)]
    [InlineData("redis.example:6380", "redis.example", 6380)]
    [InlineData("[::1]:7000", "::1", 7000)]
    public void Endpoints_parse(string text, string host, int port)
    {
        Assert.True(RedisEndpoint.TryParse(text, out var endpoint));
        Assert.Equal(new RedisEndpoint(host, port), endpoint);
    }

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("localhost:")]
    [InlineData(":6379")]
    [InlineData("::1:6379")]
    [InlineData("host:70000")]
    [InlineData("host:-1")]
    public void Bad_endpoints_do_not_parse(string text)
    {
        Assert.False(RedisEndpoint.TryParse(text, out _));
    }
}
