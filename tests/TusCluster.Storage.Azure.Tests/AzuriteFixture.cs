using Microsoft.Extensions.Options;
using TusCluster.Protocol;

[assembly: AssemblyFixture(typeof(TusCluster.Storage.Azure.Tests.AzuriteFixture))]

namespace TusCluster.Storage.Azure.Tests;

/// <summary>One azurite (in memory) for the whole run of the store's tests; each test makes a container of its own.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteServer? _azurite;

    public AzuriteServer Server => _azurite ?? throw new InvalidOperationException("azurite has not started.");

    public async ValueTask InitializeAsync() => _azurite = await AzuriteServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    /// <summary>Options for a new container of its own, with the smallest blocks so that multi-block paths run on little data.</summary>
    public AzureStoreOptions Options() => new()
    {
        ConnectionString = Server.ConnectionString,
        Container = $"t{Guid.NewGuid():N}",
        BlockSize = AzureStoreOptions.MinimumBlockSize,
        CreateContainer = true,
    };

    /// <summary>The store's container over <paramref name="options"/>, created.</summary>
    internal static AzureContainer Container(AzureStoreOptions options, TusProtocolOptions? protocol = null)
    {
        var container = new AzureContainer(AzureClientFactory.Create(options), Microsoft.Extensions.Options.Options.Create(options), Microsoft.Extensions.Options.Options.Create(protocol ?? new TusProtocolOptions()));
        container.Client.CreateIfNotExists();
        return container;
    }
}
