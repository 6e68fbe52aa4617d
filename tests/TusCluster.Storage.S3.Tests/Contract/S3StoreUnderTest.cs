using TusCluster.Protocol.Storage;
using TusCluster.Storage.Contract;

namespace TusCluster.Storage.S3.Tests.Contract;

/// <summary>An S3 store on the shared Ceph RGW under a key prefix of its own, with minimum-size parts.</summary>
internal sealed class S3StoreUnderTest(S3TestServer rgw) : StoreUnderTest
{
    private readonly S3StoreHarness _harness = new(rgw);

    public override IUploadStore Store => _harness.Store;

    public override IUploadInventory? Inventory => new S3UploadInventory(_harness.Bucket);

    public override int BlockSize => _harness.PartSize;

    public override string StorageType => "s3store";

    public override ValueTask DisposeAsync() => _harness.DisposeAsync();
}
