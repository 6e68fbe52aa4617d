using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Sweeping.Tests;

/// <summary>The sweeper on the S3 store (a real Ceph RADOS Gateway): multipart uploads and tails go too.</summary>
public sealed class S3SweepTests(CoordinationServers servers, CephRgw ceph) : IClassFixture<CephRgw>
{
    private const string Bucket = "tus-sweep-tests";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Redis")]
    [InlineData("Embedded")]
    public async Task An_expired_upload_loses_its_multipart_upload_and_tail_and_a_live_one_keeps_them(string backend)
    {
        var prefix = $"sweep-{Guid.NewGuid():N}/";
        await using var env = await SweepEnvironment.CreateAsync(servers, backend, [.. StoreSettings(prefix)]);
        var s3 = env.Services.GetRequiredService<IAmazonS3>();
        await EnsureBucketAsync(s3);
        var now = env.Clock.GetUtcNow();

        // 6 MiB: one 5 MiB part in a multipart upload, and a 1 MiB tail object.
        var expired = await env.SeedAsync(6 * 1024 * 1024, now.AddMinutes(-5));
        var live = await env.SeedAsync(6 * 1024 * 1024, now.AddMinutes(30));
        Assert.NotEmpty(await KeysAsync(s3, prefix + expired.Id));
        Assert.NotEmpty(await MultipartUploadsAsync(s3, prefix + expired.Id));

        var report = await env.Pass.RunAsync(Ct);

        Assert.Equal(1, report.Reclaimed);
        Assert.Equal(6 * 1024 * 1024, report.BytesReclaimed);
        Assert.Empty(await KeysAsync(s3, prefix + expired.Id));
        Assert.Empty(await MultipartUploadsAsync(s3, prefix + expired.Id));
        Assert.Equal(UploadStatus.Expired, (await env.Coordination.GetAsync(expired.Id, Ct))?.Status);

        Assert.NotEmpty(await KeysAsync(s3, prefix + live.Id));
        Assert.NotEmpty(await MultipartUploadsAsync(s3, prefix + live.Id));
        Assert.Equal(UploadStatus.Active, (await env.Coordination.GetAsync(live.Id, Ct))?.Status);
    }

    private IEnumerable<(string, string?)> StoreSettings(string prefix)
    {
        foreach (var argument in ceph.ReplicaArguments(Bucket, prefix))
        {
            var pair = argument[2..].Split('=', 2);
            yield return (pair[0], pair[1]);
        }
    }

    /// <summary>The hosts create it at start (CreateBucket); this environment runs no hosted services.</summary>
    private static async Task EnsureBucketAsync(IAmazonS3 s3)
    {
        try
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket }, Ct);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
            // Made by the other case of the theory.
        }
    }

    private static async Task<List<string>> KeysAsync(IAmazonS3 s3, string prefix) =>
        [.. ((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix }, Ct)).S3Objects ?? []).Select(o => o.Key)];

    private static async Task<List<string>> MultipartUploadsAsync(IAmazonS3 s3, string prefix) =>
        [.. ((await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Bucket, Prefix = prefix }, Ct)).MultipartUploads ?? []).Select(u => u.UploadId)];
}
