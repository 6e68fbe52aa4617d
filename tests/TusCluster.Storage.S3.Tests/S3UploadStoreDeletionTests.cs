using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;
using static TusCluster.Storage.S3.Tests.S3StoreHarness;

namespace TusCluster.Storage.S3.Tests;

public sealed class S3UploadStoreDeletionTests(S3TestServer ceph)
{
    [Fact]
    public async Task TerminationDeletesEverythingOfTheUpload()
    {
        await using var s3 = new S3StoreHarness(ceph);
        var other = await s3.UploadAsync(RandomBytes(20, seed: 40));
        var record = await s3.CreateAsync(3L * s3.PartSize);
        record = await s3.AppendAsync(record.Id, RandomBytes(s3.PartSize + 10, seed: 41));

        // A stale writer's chunk that was never committed, and a multipart upload nobody committed.
        await using (var lease = await s3.AcquireAsync(record.Id))
        {
            _ = await s3.Store.StageAsync(lease.Record!, lease, new MemoryStream(RandomBytes(5, seed: 42)), Ct);
        }

        await s3.Client.InitiateMultipartUploadAsync(s3.Options.Bucket, s3.Bucket.Keys.Object(record), Ct);
        Assert.Equal(3, (await s3.ListKeysAsync()).Count);
        Assert.Equal(2, (await s3.ListMultipartAsync()).Count);

        await s3.Store.DeleteAsync(record, Ct);
        await s3.Store.DeleteAsync(record, Ct);

        Assert.Equal([s3.Bucket.Keys.Object(other)], await s3.ListKeysAsync());
        Assert.Empty(await s3.ListMultipartAsync());
    }

    [Fact]
    public async Task TheInventoryListsAndReclaimsOrphans()
    {
        await using var s3 = new S3StoreHarness(ceph);
        var inventory = new S3UploadInventory(s3.Bucket);
        var finished = await s3.UploadAsync(RandomBytes(20, seed: 43));
        var unfinished = await s3.CreateAsync(3L * s3.PartSize);
        unfinished = await s3.AppendAsync(unfinished.Id, RandomBytes(s3.PartSize + 3, seed: 44));
        var orphanId = UploadId.New();
        var orphanKey = s3.Options.KeyPrefix + "2020/01/02/" + orphanId;
        await s3.Client.InitiateMultipartUploadAsync(s3.Options.Bucket, orphanKey, Ct);
        await s3.Client.PutObjectAsync(new() { BucketName = s3.Options.Bucket, Key = s3.Options.KeyPrefix + "not-an-upload", ContentBody = "x" }, Ct);

        var listed = new List<StoredUpload>();
        await foreach (var upload in inventory.ListAsync(Ct))
        {
            listed.Add(upload);
        }

        Assert.Equal(new[] { finished.Id, unfinished.Id, orphanId }.Order(), listed.Select(u => u.UploadId).Order());
        Assert.Equal(20, listed.Single(u => u.UploadId == finished.Id).Bytes);
        Assert.Equal(3, listed.Single(u => u.UploadId == unfinished.Id).Bytes);
        Assert.All(listed, u => Assert.True(u.LastModified > DateTimeOffset.UtcNow.AddMinutes(-10)));

        await inventory.DeleteAsync(listed.Single(u => u.UploadId == orphanId), Ct);
        Assert.DoesNotContain(await s3.ListMultipartAsync(), u => u.Key == orphanKey);
        await Assert.ThrowsAsync<ArgumentException>(() => inventory.DeleteAsync(new StoredUpload(orphanId, DateTimeOffset.UtcNow, 0, s3.Options.KeyPrefix + "not-an-upload"), Ct).AsTask());
    }
}
