using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.Contract;

/// <summary>
/// The base of the store contract tests: one store of its own per test (<paramref name="target"/>),
/// driven with real embedded coordination, and both disposed at the end.
/// </summary>
public abstract class UploadStoreContract(StoreUnderTest target) : IAsyncDisposable
{
    protected static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    protected StoreUnderTest Target { get; } = target;

    protected StoreDriver Driver { get; } = new(target.Store);

    protected IUploadStore Store => Target.Store;

    protected int Block => Target.BlockSize;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static byte[] RandomBytes(int size, int seed) => StoreDriver.RandomBytes(size, seed);

    /// <summary>The ids the store's inventory lists; null when the store has none.</summary>
    protected async Task<List<string>?> InventoryIdsAsync()
    {
        if (Target.Inventory is not { } inventory)
        {
            return null;
        }

        var ids = new List<string>();
        await foreach (var upload in inventory.ListAsync(Ct))
        {
            ids.Add(upload.UploadId);
        }

        return ids;
    }

    public async ValueTask DisposeAsync()
    {
        await Driver.DisposeAsync();
        await Target.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
