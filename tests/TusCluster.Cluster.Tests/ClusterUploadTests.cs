using System.Security.Cryptography;

namespace TusCluster.Cluster.Tests;

/// <summary>Three replicas behind nginx round-robin, one shared file store, a real coordination server.</summary>
public sealed class ClusterUploadTests
{
    [Theory]
    [MemberData(nameof(ClusterBackends.All), MemberType = typeof(ClusterBackends))]
    public async Task Unruly_clients_spread_over_three_replicas_end_with_exact_files(string backend)
    {
        await using var coordination = await CoordinationServer.StartAsync(backend);
        await using var cluster = await UploadCluster.StartAsync(3, coordination.ReplicaArguments(TimeSpan.FromSeconds(5)));
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromSeconds(120) };
        var files = Enumerable.Range(0, 10).Select(i => Tus.RandomBytes(new Random(i).Next(300_000, 2_500_000))).ToArray();

        var uploads = await Task.WhenAll(files.Select((data, i) => new ChunkedClient(client, new Random(1000 + i)).UploadAsync(cluster.FilesUrl, data)));

        for (var i = 0; i < files.Length; i++)
        {
            Assert.Equal(SHA256.HashData(files[i]), SHA256.HashData(await client.GetByteArrayAsync(uploads[i])));
        }
        cluster.AssertAllReplicasRunning();
    }

    [Theory]
    [MemberData(nameof(ClusterBackends.All), MemberType = typeof(ClusterBackends))]
    public async Task Tus_js_client_scenarios_pass_through_the_balanced_cluster(string backend)
    {
        await using var coordination = await CoordinationServer.StartAsync(backend);
        await using var cluster = await UploadCluster.StartAsync(3, coordination.ReplicaArguments(TimeSpan.FromSeconds(5)));

        var (exitCode, report) = await TusJsClientSuite.RunAsync(cluster.FilesUrl, asRealClients: true);

        Assert.True(exitCode == 0, report);
        Assert.Contains("# fail 0", report, StringComparison.Ordinal);
        cluster.AssertAllReplicasRunning();
    }
}
