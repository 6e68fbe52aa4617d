using TusCluster.Protocol.Storage;
using TusCluster.Storage.Contract;

namespace TusCluster.Storage.Gcs.Tests.Contract;

/// <summary>A GCS store on the shared fake under an object prefix of its own, with the smallest component size.</summary>
internal sealed class GcsStoreUnderTest(GcsTestServer server) : StoreUnderTest
{
    private readonly GcsStoreHarness _harness = new(server);

    public override IUploadStore Store => _harness.Store;

    public override IUploadInventory? Inventory => _harness.Inventory;

    public override int BlockSize => (int)_harness.Bucket.ComponentSize;

    public override string StorageType => "gcsstore";

    public override ValueTask DisposeAsync() => _harness.DisposeAsync();
}
