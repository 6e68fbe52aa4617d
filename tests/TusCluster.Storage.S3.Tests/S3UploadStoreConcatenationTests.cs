using TusCluster.Protocol.Uploads;
using static TusCluster.Storage.S3.Tests.S3StoreHarness;

namespace TusCluster.Storage.S3.Tests;

public sealed class S3UploadStoreConcatenationTests(S3TestServer ceph)
{
    [Fact]
    public async Task SmallPartialsAreCopiedThrough()
    {
        await using var s3 = new S3StoreHarness(ceph);
        byte[][] contents = [RandomBytes(1000, seed: 30), [], RandomBytes(10, seed: 31)];

        var (final, bytes) = await ConcatenateAsync(s3, contents, "filetype dGV4dC9wbGFpbg==");

        Assert.Equal(bytes, await s3.ReadAsync(final));
        var head = await s3.Client.GetObjectMetadataAsync(s3.Options.Bucket, s3.Bucket.Keys.Object(final), Ct);
        Assert.Equal("text/plain", head.Headers.ContentType);
    }

    [Fact]
    public async Task PartialsOfWholePartsAreCopiedByS3()
    {
        await using var s3 = new S3StoreHarness(ceph);
        byte[][] contents = [RandomBytes(2 * s3.PartSize, seed: 32), RandomBytes(s3.PartSize, seed: 33), RandomBytes(100, seed: 34)];

        var (final, bytes) = await ConcatenateAsync(s3, contents, null);

        Assert.Equal(bytes, await s3.ReadAsync(final));
        Assert.Equal(bytes[(s3.PartSize - 5)..(s3.PartSize + 20)], await s3.ReadAsync(final, s3.PartSize - 5, 25));
    }

    [Fact]
    public async Task ASmallPartialBeforeLargeOnesIsStreamedIntoParts()
    {
        await using var s3 = new S3StoreHarness(ceph);
        byte[][] contents = [RandomBytes(7, seed: 35), RandomBytes(s3.PartSize + 1, seed: 36)];

        var (final, bytes) = await ConcatenateAsync(s3, contents, null);

        Assert.Equal(bytes, await s3.ReadAsync(final));
        Assert.Empty(await s3.ListMultipartAsync());
    }

    [Fact]
    public async Task ZeroLengthPartialsGiveAnEmptyFinalObject()
    {
        await using var s3 = new S3StoreHarness(ceph);
        var (final, _) = await ConcatenateAsync(s3, [[], []], null);

        Assert.Empty(await s3.ReadAsync(final));
    }

    private static async Task<(UploadRecord Final, byte[] Bytes)> ConcatenateAsync(S3StoreHarness s3, byte[][] contents, string? metadata)
    {
        var partials = new List<UploadRecord>();
        foreach (var content in contents)
        {
            partials.Add(await s3.UploadAsync(content, kind: UploadKind.Partial));
        }

        Assert.All(partials, p => Assert.Equal(UploadStatus.Finished, p.Status));
        var final = await s3.CreateAsync(null, metadata, UploadKind.Final);
        final = final with { PartialIds = [.. partials.Select(p => p.Id)] };
        await using var lease = await s3.AcquireAsync(final.Id);
        var state = await s3.Store.ConcatenateAsync(final, partials, Ct);
        var length = contents.Sum(c => (long)c.Length);
        final = await lease.CommitAsync(final with { Length = length, Offset = length, Status = UploadStatus.Finished, StoreState = state }, Ct);
        return (final, [.. contents.SelectMany(c => c)]);
    }
}
