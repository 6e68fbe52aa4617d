using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using TusCluster.Protocol;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;
using static TusCluster.Storage.S3.Tests.S3StoreHarness;

namespace TusCluster.Storage.S3.Tests;

/// <summary>
/// Every part but the last has the same size (Cloudflare R2 rejects unequal parts, tusd #1137), whatever
/// the chunk sizes, a part size changed mid-upload, or the way partials are concatenated.
/// </summary>
public sealed class S3EqualPartSizeTests(S3TestServer ceph)
{
    [Fact]
    public async Task Chunks_that_do_not_end_on_part_boundaries_still_upload_equal_parts()
    {
        await using var s3 = new S3StoreHarness(ceph);
        var part = s3.PartSize;
        var record = await s3.CreateAsync(10L * part);
        foreach (var size in new[] { part - 1, 3, part + 5, (2 * part) - 2, 10, 1 })
        {
            record = await s3.AppendAsync(record.Id, RandomBytes(size, seed: size));
        }

        var sizes = await UploadedPartSizesAsync(s3, record);

        Assert.Equal(4, sizes.Count);
        Assert.All(sizes, size => Assert.Equal(part, size));
    }

    [Fact]
    public async Task A_part_size_raised_mid_upload_keeps_the_uploads_first_part_size()
    {
        await using var s3 = new S3StoreHarness(ceph);
        var part = s3.PartSize;
        var record = await s3.CreateAsync(10L * part);
        record = await s3.AppendAsync(record.Id, RandomBytes(part + 3, seed: 1));

        // A replica configured with larger parts takes the upload over.
        var options = ceph.Options(s3.Options.KeyPrefix);
        options.PartSize = part + (1024 * 1024);
        var bucket = new S3Bucket(s3.Client, Microsoft.Extensions.Options.Options.Create(options), Microsoft.Extensions.Options.Options.Create(new TusProtocolOptions()));
        await using (var lease = await s3.AcquireAsync(record.Id))
        {
            var staged = await new S3UploadStore(bucket).StageAsync(lease.Record!, lease, new MemoryStream(RandomBytes(3 * part, seed: 2)), Ct);
            record = await lease.CommitAsync(lease.Record! with { Offset = record.Offset + staged.Length, StoreState = staged.StoreState }, Ct);
        }

        Assert.Equal([part, part, part, part], await UploadedPartSizesAsync(s3, record));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_final_upload_has_equal_parts_whether_partials_are_copied_or_streamed(bool partialsEndOnPartBoundaries)
    {
        await using var s3 = new S3StoreHarness(ceph);
        var part = s3.PartSize;
        int[] lengths = partialsEndOnPartBoundaries ? [part, 2 * part, 5] : [part + 3, (2 * part) - 1, 5];
        var partials = new List<UploadRecord>();
        foreach (var length in lengths)
        {
            partials.Add(await s3.UploadAsync(RandomBytes(length, seed: length), kind: UploadKind.Partial));
        }

        using var client = new PartListingS3Client(new BasicAWSCredentials(s3.Options.AccessKey, s3.Options.SecretKey), (AmazonS3Config)s3.Client.Config);
        var bucket = new S3Bucket(client, Microsoft.Extensions.Options.Options.Create(s3.Options), Microsoft.Extensions.Options.Options.Create(new TusProtocolOptions()));
        var final = await s3.CreateAsync(null, null, UploadKind.Final) with { PartialIds = [.. partials.Select(p => p.Id)] };
        await new S3UploadStore(bucket).ConcatenateAsync(final, partials, Ct);

        Assert.Equal(lengths.Sum(), client.CompletedPartSizes.Sum());
        Assert.Equal(4, client.CompletedPartSizes.Count);
        Assert.All(client.CompletedPartSizes.SkipLast(1), size => Assert.Equal(part, size));
        var total = lengths.Sum();
        var read = await s3.ReadAsync(final with { Length = total, Offset = total, Status = UploadStatus.Finished });
        Assert.Equal([.. lengths.SelectMany(length => RandomBytes(length, seed: length))], read);
    }

    private static async Task<List<long>> UploadedPartSizesAsync(S3StoreHarness s3, UploadRecord record)
    {
        var uploadId = S3UploadState.Parse(record.StoreState).MultipartUploadId;
        var parts = await s3.Client.ListPartsAsync(new ListPartsRequest { BucketName = s3.Options.Bucket, Key = s3.Bucket.Keys.Object(record), UploadId = uploadId }, Ct);
        return [.. (parts.Parts ?? []).OrderBy(p => p.PartNumber).Select(p => p.Size ?? 0)];
    }
}
