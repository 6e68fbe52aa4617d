namespace TusCluster.Coordination.DynamoDb.Tests;

/// <summary>One moto shared by the tests of a class (they use fresh upload ids or tables, so they do not interfere).</summary>
public sealed class MotoServerFixture : IAsyncLifetime
{
    internal MotoServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await MotoServer.LaunchAsync();

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
