using System.Security.Cryptography;

namespace TusCluster.Cluster.Tests;

/// <summary>
/// Three replicas behind nginx round-robin sharing one object store, with Redis coordination: every chunk
/// may land on any replica, so what one replica staged (parts, blocks, tails) and completion must be taken
/// up exactly by the others. Each object store derives it with its own real (or emulated) service.
/// </summary>
public abstract class ObjectStoreClusterContract
{
    protected const int MiB = 1024 * 1024;

    /// <summary>Replica arguments that point every replica at the same store namespace.</summary>
    protected abstract string[] StoreArguments();

    /// <summary>The length of the upload's final object in the store (proves the bytes are not on a replica's disk).</summary>
    protected abstract Task<long?> StoredLengthAsync(string uploadId);

    [Fact]
    public async Task Unruly_and_tus_js_clients_on_three_replicas_sharing_a_store_end_with_exact_files()
    {
        await using var coordination = await CoordinationServer.StartAsync("Redis");
        await using var cluster = await UploadCluster.StartAsync(3, [.. coordination.ReplicaArguments(TimeSpan.FromSeconds(5)), .. StoreArguments()]);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromSeconds(120) };
        // Under one part or block (a tail only), exactly one, and across boundaries (parts and blocks of 5 MiB or less).
        int[] sizes = [1_300_000, 2_600_000, 4 * MiB + 17, 5 * MiB, 5 * MiB + 1, 7_654_321, 9_999_999, 11 * MiB + 333];
        var files = sizes.Select(Tus.RandomBytes).ToArray();

        var jsClients = TusJsClientSuite.RunAsync(cluster.FilesUrl, asRealClients: true);
        var uploads = await Task.WhenAll(files.Select((data, i) => new ChunkedClient(client, new Random(2000 + i)).UploadAsync(cluster.FilesUrl, data)));
        var (exitCode, report) = await jsClients;

        for (var i = 0; i < files.Length; i++)
        {
            Assert.Equal(SHA256.HashData(files[i]), SHA256.HashData(await client.GetByteArrayAsync(uploads[i])));
            Assert.Equal(files[i].Length, await StoredLengthAsync(uploads[i].Segments[^1]));
        }

        Assert.True(exitCode == 0, report);
        Assert.Contains("# fail 0", report, StringComparison.Ordinal);
        cluster.AssertAllReplicasRunning();
    }
}
