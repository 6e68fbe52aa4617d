namespace TusCluster.Coordination.Redis.Tests;

/// <summary>One redis-server shared by the tests of a class (they use fresh upload ids, so they do not interfere).</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    internal RedisServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await RedisServer.StartAsync();

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
