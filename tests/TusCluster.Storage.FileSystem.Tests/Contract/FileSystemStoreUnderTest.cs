using Microsoft.Extensions.Options;
using TusCluster.Protocol.Storage;
using TusCluster.Storage.Contract;

namespace TusCluster.Storage.FileSystem.Tests.Contract;

/// <summary>A date-partitioned file store in a temporary directory of its own.</summary>
internal sealed class FileSystemStoreUnderTest : StoreUnderTest
{
    private readonly TemporaryDirectory _root = new();

    public FileSystemStoreUnderTest()
    {
        var options = Options.Create(new FileSystemStoreOptions { Root = _root.Path, DatePartitioned = true });
        Store = new FileSystemUploadStore(options);
        Inventory = new FileSystemUploadInventory(options);
    }

    public override IUploadStore Store { get; }

    public override IUploadInventory? Inventory { get; }

    /// <summary>The file store has no blocks; a size past its positional-copy buffers stands in.</summary>
    public override int BlockSize => 256 * 1024;

    public override string StorageType => "filestore";

    public override ValueTask DisposeAsync()
    {
        _root.Dispose();
        return ValueTask.CompletedTask;
    }
}
