using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;
using static TusCluster.Storage.S3.Tests.S3StoreHarness;

namespace TusCluster.Storage.S3.Tests;

public sealed class S3UploadStoreChunkTests(S3TestServer ceph)
{
    [Fact]
    public async Task ChunksOfEverySizeFromOneByteToThreePartsGiveTheSameObject()
    {
        await using var s3 = new S3StoreHarness(ceph);
        var part = s3.PartSize;
        int[] sizes = [1, 2, 17, 4096, 65_539, part - 1, part, part + 1, 3 * part];
        var random = new Random(4);
        random.Shuffle(sizes);
        var content = RandomBytes(sizes.Sum(), seed: 1);
        var record = await s3.CreateAsync(content.Length);

        var position = 0;
        foreach (var size in sizes)
        {
            // Socket-sized reads for half of the chunks, whole-buffer reads for the others.
            record = await s3.AppendAsync(record.Id, content[position..(position + size)], maxRead: random.Next(2) == 0 ? 16 * 1024 : int.MaxValue);
            position += size;
            Assert.Equal(position, record.Offset);
        }

        Assert.Equal(UploadStatus.Finished, record.Status);
        Assert.Equal(content, await s3.ReadAsync(record));
        Assert.Equal([s3.Bucket.Keys.Object(record)], await s3.ListKeysAsync());
        Assert.Empty(await s3.ListMultipartAsync());
    }

    [Fact]
    public async Task AChunkEndingOnAPartBoundaryLeavesNoTail()
    {
        await using var s3 = new S3StoreHarness(ceph);
        var record = await s3.CreateAsync(3L * s3.PartSize);
        record = await s3.AppendAsync(record.Id, RandomBytes(s3.PartSize - 3, seed: 23));
        record = await s3.AppendAsync(record.Id, RandomBytes(3, seed: 24));

        var state = S3UploadState.Parse(record.StoreState);
        Assert.Null(state.Tail);
        Assert.Equal([s3.PartSize], state.Parts.Select(p => p.Size));
    }

    [Fact]
    public async Task OneHundredOneByteChunksLoseNothing()
    {
        await using var s3 = new S3StoreHarness(ceph);
        var content = RandomBytes(100, seed: 2);
        var record = await s3.CreateAsync(content.Length);
        foreach (var b in content)
        {
            record = await s3.AppendAsync(record.Id, [b]);
        }

        Assert.Equal(UploadStatus.Finished, record.Status);
        Assert.Equal(content, await s3.ReadAsync(record));

        // Each chunk replaced the previous tail: only the final object is left.
        Assert.Equal([s3.Bucket.Keys.Object(record)], await s3.ListKeysAsync());
    }

    [Fact]
    public async Task DeferredLengthIsDeclaredWithTheLastChunk()
    {
        await using var s3 = new S3StoreHarness(ceph);
        var content = RandomBytes(s3.PartSize + 1000, seed: 3);
        var record = await s3.CreateAsync(length: null);
        record = await s3.AppendAsync(record.Id, content[..(s3.PartSize + 10)]);
        Assert.Null(record.Length);
        record = await s3.AppendAsync(record.Id, content[(s3.PartSize + 10)..], newLength: content.Length);

        Assert.Equal(UploadStatus.Finished, record.Status);
        Assert.Equal(content, await s3.ReadAsync(record));
    }

    [Fact]
    public async Task ZeroByteUploadIsAnEmptyObject()
    {
        await using var s3 = new S3StoreHarness(ceph);
        var record = await s3.UploadAsync([]);

        Assert.Equal(UploadStatus.Finished, record.Status);
        Assert.Empty(await s3.ReadAsync(record));
        var metadata = await s3.Client.GetObjectMetadataAsync(s3.Options.Bucket, s3.Bucket.Keys.Object(record), Ct);
        Assert.Equal(0, metadata.ContentLength);
    }

    [Fact]
    public async Task AnEmptyBodyTouchesNothing()
    {
        await using var s3 = new S3StoreHarness(ceph);
        var record = await s3.CreateAsync(10);
        record = await s3.AppendAsync(record.Id, [1, 2, 3]);
        var keys = await s3.ListKeysAsync();

        await using var lease = await s3.AcquireAsync(record.Id);
        var staged = await s3.Store.StageAsync(lease.Record!, lease, new MemoryStream(), Ct);

        Assert.Equal(0, staged.Length);
        Assert.Equal(record.StoreState, staged.StoreState);
        Assert.Equal(keys, await s3.ListKeysAsync());
    }

    [Fact]
    public async Task FinalObjectCarriesTheContentTypeAndMetadata()
    {
        await using var s3 = new S3StoreHarness(ceph);

        // filetype image/png, filename cat.png, and a non-ASCII value that cannot be a header.
        var metadata = "filetype aW1hZ2UvcG5n,filename Y2F0LnBuZw==,note w6k=";
        var small = await s3.UploadAsync(RandomBytes(10, seed: 5), metadata);
        var large = await s3.UploadAsync(RandomBytes(s3.PartSize + 1, seed: 6), metadata);

        foreach (var record in new[] { small, large })
        {
            var head = await s3.Client.GetObjectMetadataAsync(s3.Options.Bucket, s3.Bucket.Keys.Object(record), Ct);
            Assert.Equal("image/png", head.Headers.ContentType);
            Assert.Equal("cat.png", head.Metadata["filename"]);
            Assert.DoesNotContain("x-amz-meta-note", head.Metadata.Keys);
        }
    }

    [Fact]
    public async Task DatePartitionedKeysFollowTheCreationDate()
    {
        await using var s3 = new S3StoreHarness(ceph, o => o.DatePartitioned = true);
        var created = new DateTimeOffset(2024, 2, 29, 23, 30, 0, TimeSpan.Zero);
        var record = await s3.CreateAsync(5, createdAt: created);
        record = await s3.AppendAsync(record.Id, [1, 2, 3, 4, 5]);

        Assert.Equal([$"{s3.Options.KeyPrefix}2024/02/29/{record.Id}"], await s3.ListKeysAsync());
        Assert.Equal([1, 2, 3, 4, 5], await s3.ReadAsync(record));
    }

    [Fact]
    public async Task CompletingTwiceKeepsTheObject()
    {
        await using var s3 = new S3StoreHarness(ceph);
        var content = RandomBytes(s3.PartSize + 7, seed: 7);
        var record = await s3.CreateAsync(content.Length);
        await using (var lease = await s3.AcquireAsync(record.Id))
        {
            using var body = new MemoryStream(content);
            var staged = await s3.Store.StageAsync(record, lease, body, Ct);
            record = await lease.CommitAsync(record with { Offset = staged.Length, StoreState = staged.StoreState }, Ct);
        }

        // A finisher that died after completing but before committing is repeated by the next one.
        await s3.Store.SettleAsync(record, Ct);
        await s3.Store.CompleteAsync(record, Ct);
        await s3.Store.CompleteAsync(record, Ct);

        Assert.Equal(content, await s3.ReadAsync(record with { Status = UploadStatus.Finished }));
        Assert.Equal([s3.Bucket.Keys.Object(record)], await s3.ListKeysAsync());
    }

    [Fact]
    public async Task RangeReadsReturnExactlyTheRange()
    {
        await using var s3 = new S3StoreHarness(ceph);
        var content = RandomBytes(s3.PartSize + 100, seed: 8);
        var record = await s3.UploadAsync(content);

        Assert.Equal(content[..1], await s3.ReadAsync(record, 0, 1));
        Assert.Equal(content[(s3.PartSize - 10)..(s3.PartSize + 10)], await s3.ReadAsync(record, s3.PartSize - 10, 20));
        Assert.Equal(content[^5..], await s3.ReadAsync(record, content.Length - 5, long.MaxValue));
        Assert.Empty(await s3.ReadAsync(record, 3, 0));
    }
}
