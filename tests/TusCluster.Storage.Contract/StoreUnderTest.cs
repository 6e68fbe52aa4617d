using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.Contract;

/// <summary>
/// One store as a contract test sees it: a fresh, empty namespace of its own (a directory, a key prefix,
/// a container) that disposing removes with everything in it.
/// </summary>
public abstract class StoreUnderTest : IAsyncDisposable
{
    public abstract IUploadStore Store { get; }

    /// <summary>The store's inventory for the sweeper, or null when it has none.</summary>
    public abstract IUploadInventory? Inventory { get; }

    /// <summary>
    /// The store's unit of staging (an S3 part, an Azure block), kept small in tests: chunk sizes are
    /// chosen around it so that every boundary case of the store is crossed.
    /// </summary>
    public abstract int BlockSize { get; }

    /// <summary>The "Type" <see cref="IUploadStore.Describe"/> reports (tusd's names: filestore, s3store...).</summary>
    public abstract string StorageType { get; }

    public abstract ValueTask DisposeAsync();
}
