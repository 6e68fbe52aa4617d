using System.Diagnostics;
using System.Net;

namespace TusCluster.Cluster.Tests;

/// <summary>
/// A PATCH on one replica takes an upload over from a PATCH that another replica is still receiving.
/// The latencies are reported (p50, max), not asserted: what is asserted is that a hand-over happened
/// (409 with the holder's committed offset) rather than a wait for the lock timeout (423).
/// </summary>
public sealed class HandOverTests
{
    [Theory]
    [MemberData(nameof(ClusterBackends.All), MemberType = typeof(ClusterBackends))]
    public async Task A_newcomer_on_another_replica_takes_over_from_a_running_patch(string backend)
    {
        await using var coordination = await CoordinationServer.StartAsync(backend);
        await using var cluster = await UploadCluster.StartAsync(2, coordination.ReplicaArguments(TimeSpan.FromSeconds(5)));
        var (holderReplica, newcomerReplica) = (cluster.Replicas[0], cluster.Replicas[1]);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var latencies = new List<double>();

        for (var round = 0; round < 15; round++)
        {
            var data = Tus.RandomBytes(1_000_000);
            var upload = await Tus.CreateAsync(client, holderReplica.FilesUrl, data.Length);
            var id = upload.Segments[^1];
            await using var holder = await RawHttpConnection.OpenAsync(upload);
            await holder.SendHeadAsync("PATCH", upload, "Tus-Resumable: 1.0.0", "Upload-Offset: 0", "Content-Type: application/offset+octet-stream", "Content-Length: 1000000");
            await holder.SendAsync(data.AsMemory(0, 400_000));
            await cluster.WaitForStagedChunkAsync(id);

            var clock = Stopwatch.StartNew();
            using var newcomer = await Tus.PatchAsync(client, new Uri(newcomerReplica.FilesUrl, id), 0, data);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
            var held = await holder.ReadResponseHeadAsync(TimeSpan.FromSeconds(10));

            Assert.Equal(HttpStatusCode.Conflict, newcomer.StatusCode);
            Assert.Equal(204, held.Status);
            Assert.Equal(held.Offset, Tus.Offset(newcomer));
            Assert.True(held.Offset > 0, "the holder committed what it had received");
        }

        cluster.AssertAllReplicasRunning();
        latencies.Sort();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{backend} hand-over across replicas: p50 {latencies[latencies.Count / 2]:F1} ms, max {latencies[^1]:F1} ms over {latencies.Count} rounds");
    }
}
