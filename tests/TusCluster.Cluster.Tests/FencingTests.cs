using System.Net;

namespace TusCluster.Cluster.Tests;

/// <summary>
/// A lock holder frozen (SIGSTOP) mid-PATCH past its lease: another replica takes over and finishes;
/// when the frozen one resumes (SIGCONT) and writes on, nothing it writes is committed.
/// </summary>
public sealed class FencingTests
{
    public static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(2);

    [Theory]
    [MemberData(nameof(ClusterBackends.All), MemberType = typeof(ClusterBackends))]
    public async Task A_frozen_holder_that_wakes_after_a_takeover_commits_nothing(string backend)
    {
        await using var coordination = await CoordinationServer.StartAsync(backend);
        await using var cluster = await UploadCluster.StartAsync(2, coordination.ReplicaArguments(LeaseTtl));
        await FrozenHolderCommitsNothingAsync(cluster, cluster.WaitForStagedChunkAsync);
    }

    /// <summary>
    /// The scenario on any store: <paramref name="waitForStaged"/> completes once the store holds some of the
    /// stale writer's bytes (a staged chunk file, uncommitted blocks).
    /// </summary>
    internal static async Task FrozenHolderCommitsNothingAsync(UploadCluster cluster, Func<string, Task> waitForStaged)
    {
        var (frozen, healthy) = (cluster.Replicas[0], cluster.Replicas[1]);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var data = Tus.RandomBytes(1_000_000);
        var garbage = Tus.RandomBytes(1_000_000);
        var upload = await Tus.CreateAsync(client, frozen.FilesUrl, data.Length);
        var id = upload.Segments[^1];

        // The soon-frozen replica starts writing wrong bytes (a stale writer must never get them in).
        await using var stale = await RawHttpConnection.OpenAsync(upload);
        await stale.SendHeadAsync("PATCH", upload, "Tus-Resumable: 1.0.0", "Upload-Offset: 0", "Content-Type: application/offset+octet-stream", "Content-Length: 1000000");
        await stale.SendAsync(garbage.AsMemory(0, 400_000));
        await waitForStaged(id);
        frozen.Pause();
        try
        {
            await Task.Delay(LeaseTtl * 2);
            var takeover = await PatchUntilAcceptedAsync(client, new Uri(healthy.FilesUrl, id), data);
            Assert.Equal(data.Length, takeover);
        }
        finally
        {
            frozen.Resume();
        }

        await stale.SendAsync(garbage.AsMemory(400_000));
        var late = await stale.ReadResponseHeadAsync(TimeSpan.FromSeconds(30));

        Assert.NotEqual(204, late.Status);
        using var head = await Tus.HeadAsync(client, new Uri(healthy.FilesUrl, id));
        Assert.Equal(data.Length, Tus.Offset(head));
        Assert.Equal(data, await client.GetByteArrayAsync(new Uri(healthy.FilesUrl, id)));
        Assert.Equal(data, await client.GetByteArrayAsync(new Uri(frozen.FilesUrl, id)));
    }

    /// <summary>PATCHes the whole upload from offset 0 until a replica accepts it (423 while the old lease lives).</summary>
    private static async Task<long> PatchUntilAcceptedAsync(HttpClient client, Uri upload, byte[] data)
    {
        for (var attempt = 0; attempt < 40; attempt++)
        {
            using var response = await Tus.PatchAsync(client, upload, 0, data);
            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                return Tus.Offset(response);
            }

            Assert.True(response.StatusCode is HttpStatusCode.Locked or HttpStatusCode.ServiceUnavailable, $"takeover got {(int)response.StatusCode}");
            await Task.Delay(250);
        }

        throw new InvalidOperationException("no replica took the upload over");
    }
}
