using System.Security.Cryptography;

namespace TusCluster.Cluster.Tests;

/// <summary>
/// The coordination server dies mid-run and comes back: requests meanwhile get 503 (retryable),
/// nothing acknowledged is lost, and the uploads resume and finish by themselves.
/// </summary>
public sealed class BackendRestartTests
{
    [Theory]
    [MemberData(nameof(ClusterBackends.All), MemberType = typeof(ClusterBackends))]
    public async Task Uploads_finish_exactly_after_the_coordination_server_restarts(string backend)
    {
        await using var coordination = await CoordinationServer.StartAsync(backend);
        await using var cluster = await UploadCluster.StartAsync(3, coordination.ReplicaArguments(TimeSpan.FromSeconds(5)));
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromSeconds(120) };
        var files = Enumerable.Range(0, 6).Select(i => Tus.RandomBytes(new Random(i).Next(1_500_000, 3_000_000))).ToArray();

        // Slow clients, so that the outage lands in the middle of every upload.
        var uploads = files.Select((data, i) => new ChunkedClient(client, new Random(2000 + i), TimeSpan.FromMilliseconds(150)).UploadAsync(cluster.FilesUrl, data)).ToArray();
        await Task.Delay(1500);
        await coordination.KillAsync();
        await Task.Delay(2000);
        await coordination.StartAsync();
        var urls = await Task.WhenAll(uploads);

        for (var i = 0; i < files.Length; i++)
        {
            Assert.Equal(SHA256.HashData(files[i]), SHA256.HashData(await client.GetByteArrayAsync(urls[i])));
        }
        cluster.AssertAllReplicasRunning();
    }
}
