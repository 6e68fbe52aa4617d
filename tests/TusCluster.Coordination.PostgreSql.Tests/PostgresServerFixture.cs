namespace TusCluster.Coordination.PostgreSql.Tests;

/// <summary>One PostgreSQL shared by the tests of a class (each test works in a schema of its own).</summary>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    internal PostgresServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await PostgresServer.StartAsync();

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
