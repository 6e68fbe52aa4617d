using Google.Cloud.Storage.V1;
using TusCluster.Protocol;
using TusCluster.Storage.Contract;

namespace TusCluster.Storage.Gcs.Tests;

/// <summary>A GCS store on the shared fake under an object prefix of its own, with the contract's driver; disposing removes the prefix.</summary>
internal sealed class GcsStoreHarness : IAsyncDisposable
{
    public GcsStoreHarness(GcsTestServer server, Action<GcsStoreOptions>? configure = null, TusProtocolOptions? protocol = null)
    {
        Options = server.Options($"t{Guid.NewGuid():N}/");
        configure?.Invoke(Options);
        Client = GcsClientFactory.Create(Options);
        Bucket = new GcsBucket(Client, Microsoft.Extensions.Options.Options.Create(Options), Microsoft.Extensions.Options.Options.Create(protocol ?? new TusProtocolOptions()));
        Store = new GcsUploadStore(Bucket);
        Inventory = new GcsUploadInventory(Bucket);
        Driver = new StoreDriver(Store);
    }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public GcsStoreOptions Options { get; }

    public StorageClient Client { get; }

    public GcsBucket Bucket { get; }

    public GcsUploadStore Store { get; }

    public GcsUploadInventory Inventory { get; }

    public StoreDriver Driver { get; }

    /// <summary>Every object name under this harness's prefix, in order.</summary>
    public async Task<List<string>> ObjectNamesAsync()
    {
        var names = new List<string>();
        await foreach (var found in Client.ListObjectsAsync(Options.Bucket, Options.ObjectPrefix))
        {
            names.Add(found.Name);
        }

        return names;
    }

    public async ValueTask DisposeAsync()
    {
        await Driver.DisposeAsync();
        try
        {
            foreach (var name in await ObjectNamesAsync())
            {
                await Client.DeleteObjectAsync(Options.Bucket, name);
            }
        }
        catch (Exception e) when (GcsErrors.IsStoreFailure(e, CancellationToken.None))
        {
            // A test that stopped the fake leaves its objects to the fake's directory, removed with it.
        }

        Client.Dispose();
    }
}
