using System.Net;

namespace TusCluster.Cluster.Tests;

/// <summary>
/// Post-* events in a cluster reach a real HTTP receiver at least once: across replicas killed between
/// the commit of a finish and its delivery, and across a receiver that is down for a while.
/// </summary>
public sealed class HookDeliveryTests
{
    private const string KillAfterCommit = "TUSCLUSTER_FAULT_KILL_AFTER_COMMIT";

    private static string[] HookArguments(HookReceiver receiver, params string[] events) =>
    [
        $"--Tus:Hooks:Http:Url={receiver.Url}",
        .. events.Select((e, i) => $"--Tus:Hooks:Http:Events:{i}={e}"),
        "--Tus:Hooks:Http:Retries=1",
        "--Tus:Hooks:Http:Backoff=00:00:00.2",
        "--Tus:Hooks:RedeliveryDelay=00:00:02",
        "--Tus:Hooks:RedeliveryPollInterval=00:00:00.5",
        "--Tus:Hooks:MaxRedeliveryBackoff=00:00:05",
    ];

    [Theory]
    [InlineData("Redis")]
    [InlineData("Etcd")]
    [InlineData("PostgreSql")]
    public async Task Every_finished_upload_is_reported_though_replicas_die_between_commit_and_delivery(string backend)
    {
        await using var receiver = await HookReceiver.StartAsync();
        await using var coordination = await CoordinationServer.StartAsync(backend);

        // Replicas 0 and 1 kill themselves (SIGKILL) right after committing a finish, before delivering its
        // event; replica 2 never does, so the cluster keeps serving and one replica always delivers.
        await using var cluster = await UploadCluster.StartAsync(
            3,
            i => i < 2 ? new Dictionary<string, string> { [KillAfterCommit] = "post-finish:1" } : new Dictionary<string, string>(),
            [.. coordination.ReplicaArguments(TimeSpan.FromSeconds(5)), .. HookArguments(receiver, "post-finish")]);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };

        var finished = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var data = Tus.RandomBytes(50_000 + i);
            var upload = await new ChunkedClient(client, new Random(i)).UploadAsync(cluster.FilesUrl, data);
            Assert.Equal(data, await client.GetByteArrayAsync(upload));
            finished.Add(upload.Segments[^1]);
        }

        var killed = cluster.Replicas.Count(r => r.HasExited);
        Assert.True(killed >= 1, "no replica was killed after a commit: the test proved nothing");
        await Eventually.HoldsAsync(
            () => finished.All(id => receiver.Requests().Any(h => h.Type() == "post-finish" && h.UploadId() == id)),
            "every finished upload's post-finish to reach the receiver",
            TimeSpan.FromSeconds(120),
            () => $"missing: {string.Join(", ", finished.Where(id => !receiver.Requests().Any(h => h.UploadId() == id)))}; {killed} replicas killed");

        // Duplicates are allowed (at least once), but every copy of one upload's event carries the same event id.
        foreach (var reports in receiver.Requests().Where(h => h.Type() == "post-finish").GroupBy(h => h.UploadId()))
        {
            Assert.Single(reports.Select(h => h.EventId()).Distinct());
        }
    }

    [Fact]
    public async Task A_receiver_down_for_30_seconds_refuses_creations_with_503_and_gets_every_event_when_back()
    {
        await using var receiver = await HookReceiver.StartAsync();
        await using var coordination = await CoordinationServer.StartAsync("Redis");
        await using var cluster = await UploadCluster.StartAsync(
            2, [.. coordination.ReplicaArguments(TimeSpan.FromSeconds(5)), .. HookArguments(receiver, "pre-create", "post-create", "post-finish")]);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };

        var uploads = new List<(Uri Url, byte[] Data)>();
        for (var i = 0; i < 6; i++)
        {
            var data = Tus.RandomBytes(200_000);
            var url = await Tus.CreateAsync(client, cluster.FilesUrl, data.Length);
            using var first = await Tus.PatchAsync(client, url, 0, data[..100_000]);
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
            uploads.Add((url, data));
        }

        await receiver.KillAsync();
        var refusals = 0;
        var downUntil = DateTime.UtcNow.AddSeconds(30);
        foreach (var (url, data) in uploads)
        {
            // Finishing needs no blocking hook: it succeeds, and its post-finish waits in the outbox.
            using var rest = await Tus.PatchAsync(client, url, 100_000, data[100_000..]);
            Assert.Equal(HttpStatusCode.NoContent, rest.StatusCode);
        }

        while (DateTime.UtcNow < downUntil)
        {
            using var refused = await client.SendAsync(Tus.Request(HttpMethod.Post, cluster.FilesUrl, ("Upload-Length", "10")));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            refusals++;
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        await receiver.StartAsync();
        var later = await Tus.UploadAsync(client, cluster.FilesUrl, Tus.RandomBytes(1000), 1000);
        var ids = uploads.Select(u => u.Url.Segments[^1]).Append(later.Segments[^1]).ToArray();

        await Eventually.HoldsAsync(
            () => ids.All(id => receiver.Requests().Any(h => h.Type() == "post-finish" && h.UploadId() == id)
                && receiver.Requests().Any(h => h.Type() == "post-create" && h.UploadId() == id)),
            "every post-create and post-finish to arrive once the receiver is back",
            TimeSpan.FromSeconds(90));
        Assert.True(refusals >= 10, $"only {refusals} creations were tried while the receiver was down");
        foreach (var (url, data) in uploads)
        {
            Assert.Equal(data, await client.GetByteArrayAsync(url));
        }

        cluster.AssertAllReplicasRunning();
    }
}
