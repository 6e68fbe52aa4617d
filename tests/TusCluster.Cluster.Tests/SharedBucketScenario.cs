using System.Security.Cryptography;

namespace TusCluster.Cluster.Tests;

/// <summary>
/// Three replicas behind nginx round-robin sharing one object store bucket, with Redis coordination:
/// unruly chunked clients and tus-js-client upload at once, every chunk may land on any replica, and every
/// file must come back exact and live in the bucket as one final object. The same for every object store.
/// </summary>
internal static class SharedBucketScenario
{
    private const int MiB = 1024 * 1024;

    /// <param name="storeArguments">The replicas' store settings.</param>
    /// <param name="objectLength">The length the store itself reports for an upload's final object, by upload id.</param>
    public static async Task RunAsync(string[] storeArguments, Func<string, Task<long>> objectLength)
    {
        await using var coordination = await CoordinationServer.StartAsync("Redis");
        await using var cluster = await UploadCluster.StartAsync(3, [.. coordination.ReplicaArguments(TimeSpan.FromSeconds(5)), .. storeArguments]);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromSeconds(120) };
        // Under one part (a tail object only), exactly one part, and across part boundaries (parts of 5 MiB).
        int[] sizes = [1_300_000, 2_600_000, 4 * MiB + 17, 5 * MiB, 5 * MiB + 1, 7_654_321, 9_999_999, 11 * MiB + 333];
        var files = sizes.Select(Tus.RandomBytes).ToArray();

        var jsClients = TusJsClientSuite.RunAsync(cluster.FilesUrl, asRealClients: true);
        var uploads = await Task.WhenAll(files.Select((data, i) => new ChunkedClient(client, new Random(2000 + i)).UploadAsync(cluster.FilesUrl, data)));
        var (exitCode, report) = await jsClients;

        for (var i = 0; i < files.Length; i++)
        {
            Assert.Equal(SHA256.HashData(files[i]), SHA256.HashData(await client.GetByteArrayAsync(uploads[i])));
            // The bytes live in the bucket as one final object, not on a replica's disk.
            Assert.Equal(files[i].Length, await objectLength(uploads[i].Segments[^1]));
        }

        Assert.True(exitCode == 0, report);
        Assert.Contains("# fail 0", report, StringComparison.Ordinal);
        cluster.AssertAllReplicasRunning();
    }
}
