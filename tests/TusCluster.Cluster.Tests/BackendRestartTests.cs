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
        var files = Enumerable.Range(0, 6).Select(i => Tus.RandomBytes(new Random(i).Next(1_500_000, 3_000_000))).ToArray();
        await UploadThroughAnOutageAsync(coordination, cluster, files, seed: 2000, outageAfter: TimeSpan.FromMilliseconds(1500));
    }

    /// <summary>
    /// A cluster with nothing but a bucket (S3 store and S3 coordination in one bucket of one Ceph RGW): the gateway
    /// dies with multipart parts, tails and upload documents in flight. Every upload resumes from its HEAD offset,
    /// never below an offset a 204 acknowledged (ChunkedClient checks), and ends with exactly its bytes.
    /// </summary>
    [Fact]
    public async Task Uploads_to_s3_alone_finish_exactly_after_the_gateway_restarts()
    {
        await using var s3 = await CoordinationServer.StartAsync("S3");
        await using var cluster = await UploadCluster.StartAsync(3, [.. s3.ReplicaArguments(TimeSpan.FromSeconds(5)), .. s3.S3StoreArguments("uploads/")]);
        // Across the 5 MiB part boundary, so that completed parts and a tail are both in flight.
        var files = Enumerable.Range(0, 6).Select(i => Tus.RandomBytes(new Random(i).Next(5_500_000, 9_000_000))).ToArray();
        await UploadThroughAnOutageAsync(s3, cluster, files, seed: 3000, outageAfter: TimeSpan.FromMilliseconds(2500));
    }

    /// <summary>
    /// Slow clients (so that the outage lands in the middle of every upload) resume through a kill and a start of
    /// <paramref name="server"/>; every upload ends with exactly its bytes.
    /// </summary>
    private static async Task UploadThroughAnOutageAsync(CoordinationServer server, UploadCluster cluster, byte[][] files, int seed, TimeSpan outageAfter)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromSeconds(120) };
        var uploads = files.Select((data, i) => new ChunkedClient(client, new Random(seed + i), TimeSpan.FromMilliseconds(150)).UploadAsync(cluster.FilesUrl, data)).ToArray();
        await Task.Delay(outageAfter);
        await server.KillAsync();
        await Task.Delay(2000);
        await server.StartAsync();
        var urls = await Task.WhenAll(uploads);

        for (var i = 0; i < files.Length; i++)
        {
            Assert.Equal(SHA256.HashData(files[i]), SHA256.HashData(await client.GetByteArrayAsync(urls[i])));
        }

        cluster.AssertAllReplicasRunning();
    }
}
