using Google;
using Google.Cloud.Storage.V1;
using Microsoft.Extensions.DependencyInjection;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Sweeping.Tests;

/// <summary>The sweeper on the GCS store (against FakeGcsServer: no GCS emulator runs here): an expired upload's chunk objects go too.</summary>
public sealed class GcsSweepTests(CoordinationServers servers)
{
    private const string Bucket = "tus-sweep-tests";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Redis")]
    [InlineData("Embedded")]
    public async Task An_expired_upload_loses_its_chunk_objects_and_a_live_one_keeps_them(string backend)
    {
        await using var fake = await FakeGcsProcess.LaunchAsync();
        var prefix = $"sweep-{Guid.NewGuid():N}/";
        await using var env = await SweepEnvironment.CreateAsync(servers, backend, [.. StoreSettings(fake, prefix)]);
        var gcs = env.Services.GetRequiredService<StorageClient>();
        await EnsureBucketAsync(gcs);
        var now = env.Clock.GetUtcNow();

        // 3 MiB: three times the component size of the replica arguments.
        var expired = await env.SeedAsync(3 * 1024 * 1024, now.AddMinutes(-5));
        var live = await env.SeedAsync(3 * 1024 * 1024, now.AddMinutes(30));
        Assert.NotEmpty(await NamesAsync(gcs, prefix + expired.Id));

        var report = await env.Pass.RunAsync(Ct);

        Assert.Equal(1, report.Reclaimed);
        Assert.Equal(3 * 1024 * 1024, report.BytesReclaimed);
        Assert.Empty(await NamesAsync(gcs, prefix + expired.Id));
        Assert.Equal(UploadStatus.Expired, (await env.Coordination.GetAsync(expired.Id, Ct))?.Status);
        Assert.NotEmpty(await NamesAsync(gcs, prefix + live.Id));
        Assert.Equal(UploadStatus.Active, (await env.Coordination.GetAsync(live.Id, Ct))?.Status);
    }

    private static IEnumerable<(string, string?)> StoreSettings(FakeGcsProcess fake, string prefix)
    {
        foreach (var argument in fake.ReplicaArguments(Bucket, prefix))
        {
            var pair = argument[2..].Split('=', 2);
            yield return (pair[0], pair[1]);
        }
    }

    /// <summary>The hosts create it at start (CreateBucket); this environment runs no hosted services.</summary>
    private static async Task EnsureBucketAsync(StorageClient gcs)
    {
        try
        {
            await gcs.CreateBucketAsync("tus-tests", Bucket, cancellationToken: Ct);
        }
        catch (GoogleApiException e) when (e.HttpStatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // Made already.
        }
    }

    private static async Task<List<string>> NamesAsync(StorageClient gcs, string prefix) =>
        await gcs.ListObjectsAsync(Bucket, prefix).Select(o => o.Name).ToListAsync(Ct);
}
