using Azure.Storage.Blobs;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Sweeping.Tests;

/// <summary>The sweeper on the Azure store (azurite): an expired upload's staged blocks and tail go too.</summary>
public sealed class AzureSweepTests(CoordinationServers servers, AzuriteServer azurite) : IClassFixture<AzuriteServer>
{
    private const string Container = "tus-sweep-tests";
    private const int MiB = 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Redis")]
    [InlineData("Embedded")]
    public async Task An_expired_upload_loses_its_blocks_and_tail_and_a_live_one_keeps_them(string backend)
    {
        var prefix = $"sweep-{Guid.NewGuid():N}/";
        await using var env = await SweepEnvironment.CreateAsync(servers, backend, [.. StoreSettings(prefix)]);

        // The hosts create it at start (CreateContainer); this environment runs no hosted services.
        await new BlobContainerClient(azurite.ConnectionString, Container).CreateIfNotExistsAsync(cancellationToken: Ct);
        var now = env.Clock.GetUtcNow();

        // 6.5 MiB in 1 MiB blocks: six staged (uncommitted) blocks and a tail blob.
        var expired = await env.SeedAsync((6 * MiB) + (MiB / 2), now.AddMinutes(-5));
        var live = await env.SeedAsync((6 * MiB) + (MiB / 2), now.AddMinutes(30));
        Assert.Equal(6, await azurite.UncommittedBlockCountAsync(Container, prefix + expired.Id));
        Assert.Contains(await azurite.BlobNamesAsync(Container, prefix + expired.Id), name => name.Contains(".tmp/", StringComparison.Ordinal));

        var report = await env.Pass.RunAsync(Ct);

        Assert.Equal(1, report.Reclaimed);
        Assert.Equal((6 * MiB) + (MiB / 2), report.BytesReclaimed);
        Assert.Empty(await azurite.BlobNamesAsync(Container, prefix + expired.Id));
        Assert.Equal(0, await azurite.UncommittedBlockCountAsync(Container, prefix + expired.Id));
        Assert.Equal(UploadStatus.Expired, (await env.Coordination.GetAsync(expired.Id, Ct))?.Status);

        Assert.Equal(6, await azurite.UncommittedBlockCountAsync(Container, prefix + live.Id));
        Assert.Equal(UploadStatus.Active, (await env.Coordination.GetAsync(live.Id, Ct))?.Status);
    }

    private IEnumerable<(string, string?)> StoreSettings(string prefix)
    {
        foreach (var argument in azurite.ReplicaArguments(Container, prefix, MiB))
        {
            var pair = argument[2..].Split('=', 2);
            yield return (pair[0], pair[1]);
        }
    }
}
