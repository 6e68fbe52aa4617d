namespace TusCluster.Coordination.DynamoDb.Tests;

/// <summary>One dynalite shared by the tests of a class (they use fresh upload ids or tables, so they do not interfere).</summary>
public sealed class DynaliteServerFixture : IAsyncLifetime
{
    internal DynaliteServer Server { get; private set; } = null!;

    /// <summary>A table for the class; created by the first coordination that uses it.</summary>
    internal string TableName { get; } = $"t-{Guid.NewGuid():N}";

    public async ValueTask InitializeAsync() => Server = await DynaliteServer.LaunchAsync();

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
