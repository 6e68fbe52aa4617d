using TusCluster.Protocol.Storage;
using TusCluster.Storage.Contract;

namespace TusCluster.Storage.Azure.Tests.Contract;

/// <summary>An Azure store on the shared azurite, in a container of its own (deleted at the end), with 64 KiB blocks.</summary>
internal sealed class AzureStoreUnderTest : StoreUnderTest
{
    public AzureStoreUnderTest(AzuriteFixture azurite, Action<AzureStoreOptions>? configure = null)
    {
        var options = azurite.Options();
        options.DatePartitioned = true;
        configure?.Invoke(options);
        Container = AzuriteFixture.Container(options);
        Store = new AzureUploadStore(Container);
        Inventory = new AzureUploadInventory(Container);
    }

    public AzureContainer Container { get; }

    public override IUploadStore Store { get; }

    public override IUploadInventory? Inventory { get; }

    public override int BlockSize => Container.BlockSize;

    public override string StorageType => "azurestore";

    public override async ValueTask DisposeAsync() => await Container.Client.DeleteIfExistsAsync();
}
