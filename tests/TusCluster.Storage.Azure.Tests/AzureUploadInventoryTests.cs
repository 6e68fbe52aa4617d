using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;
using TusCluster.Storage.Azure.Tests.Contract;
using TusCluster.Storage.Contract;

namespace TusCluster.Storage.Azure.Tests;

/// <summary>The sweeper's view: every upload with bytes, uncommitted blobs (only staged blocks) included.</summary>
public sealed class AzureUploadInventoryTests(AzuriteFixture azurite) : UploadStoreContract(new AzureStoreUnderTest(azurite))
{
    private AzureContainer Container => ((AzureStoreUnderTest)Target).Container;

    [Fact]
    public async Task Lists_finished_unfinished_and_orphaned_uploads_and_reclaims_an_orphan()
    {
        var finished = await Driver.UploadAsync(RandomBytes(20, seed: 1));
        var unfinished = await Driver.CreateAsync(3L * Block);
        unfinished = await Driver.AppendAsync(unfinished.Id, RandomBytes(Block + 3, seed: 2));

        // An orphan: blocks staged for an upload whose record never got committed (a crash after staging).
        var orphanId = UploadId.New();
        var orphanName = "2020/01/02/" + orphanId;
        await Container.StageBlockAsync(orphanName, BlockIds.Of(BlockIds.NewNonce(), 3, 0), RandomBytes(10, seed: 3), Ct);
        await Container.UploadSmallAsync("not-an-upload", RandomBytes(1, seed: 4), Ct);

        var listed = await ListAsync();

        Assert.Equal(new[] { finished.Id, unfinished.Id, orphanId }.Order(), listed.Select(u => u.UploadId).Order());
        Assert.Equal(20, listed.Single(u => u.UploadId == finished.Id).Bytes);
        Assert.Equal(3, listed.Single(u => u.UploadId == unfinished.Id).Bytes);
        Assert.All(listed, u => Assert.True(u.LastModified > DateTimeOffset.UtcNow.AddMinutes(-10)));

        await Target.Inventory!.DeleteAsync(listed.Single(u => u.UploadId == orphanId), Ct);
        Assert.DoesNotContain(orphanId, (await ListAsync()).Select(u => u.UploadId));
        await Assert.ThrowsAsync<ArgumentException>(() => Target.Inventory.DeleteAsync(new StoredUpload(orphanId, DateTimeOffset.UtcNow, 0, "not-an-upload"), Ct).AsTask());
    }

    private async Task<List<StoredUpload>> ListAsync()
    {
        var listed = new List<StoredUpload>();
        await foreach (var upload in Target.Inventory!.ListAsync(Ct))
        {
            listed.Add(upload);
        }

        return listed;
    }
}
