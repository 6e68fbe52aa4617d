using System.Diagnostics;
using TusCluster.Coordination.Redis.Connection;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Redis.Tests;

/// <summary>WaitForReplicas: commits (with their events), commit-and-release and removal wait for replicas with WAIT.</summary>
public sealed class RedisReplicaAcknowledgementTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_enough_replicas_a_commit_is_unavailable_after_the_wait_timeout()
    {
        await using var primary = await RedisServer.StartAsync();
        await using var coordination = Fixtures.Create(primary, o => (o.WaitForReplicas, o.WaitTimeout) = (1, TimeSpan.FromMilliseconds(200)));
        var id = UploadId.New();
        await using var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        var watch = Stopwatch.StartNew();

        var failure = await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await lease.CommitAsync(Fixtures.NewRecord(id, offset: 4), Ct));

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(150), $"answered after {watch.Elapsed}, before WAIT could have timed out");
        Assert.IsType<ReplicasBehindException>(failure.InnerException);
        Assert.Contains("0 of 1 replicas", failure.Message, StringComparison.Ordinal);

        // The write is on the primary only: the client retries (HEAD reads the offset), the lease is kept.
        Assert.False(lease.Lost.IsCancellationRequested);
        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await lease.CommitAndReleaseAsync(Fixtures.NewRecord(id, offset: 5), Ct));
    }

    /// <summary>The events ride in the commit script, so WAIT covers them; the primary has both record and events.</summary>
    [Fact]
    public async Task Without_enough_replicas_a_commit_with_events_is_unavailable_too()
    {
        await using var primary = await RedisServer.StartAsync();
        await using var coordination = Fixtures.Create(primary, o => (o.WaitForReplicas, o.WaitTimeout) = (1, TimeSpan.FromMilliseconds(200)));
        var id = UploadId.New();
        var entry = Outbox.RedisEventOutboxTests.Entry(id, DateTimeOffset.UnixEpoch);
        await using var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);

        var failure = await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await lease.CommitAsync(Fixtures.NewRecord(id, offset: 4), [entry], Ct));

        Assert.IsType<ReplicasBehindException>(failure.InnerException);
        Assert.Equal(4, (await coordination.GetAsync(id, Ct))?.Offset);
        Assert.Equal([entry], await coordination.ReadDueEventsAsync(DateTimeOffset.UnixEpoch, 10, Ct));
    }

    [Fact]
    public async Task With_a_replica_commits_commit_and_release_with_events_and_removal_are_acknowledged_and_readable_there()
    {
        await using var primary = await RedisServer.StartAsync();
        await using var replica = await RedisServer.StartAsync(extraArguments: ["--replicaof", "127.0.0.1", primary.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await using var coordination = Fixtures.Create(primary, o => (o.WaitForReplicas, o.WaitTimeout) = (1, TimeSpan.FromMilliseconds(400)));
        await using var onReplica = Fixtures.Create(replica);
        await WaitForReplicaAsync(coordination);
        var id = UploadId.New();

        var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        var first = await lease.CommitAsync(Fixtures.NewRecord(id, offset: 1), Ct);
        Fixtures.AssertSameRecord(first, await onReplica.GetAsync(id, Ct));
        var entry = Outbox.RedisEventOutboxTests.Entry(id, DateTimeOffset.UnixEpoch);
        var last = await lease.CommitAndReleaseAsync(first with { Offset = 2 }, [entry], Ct);
        Fixtures.AssertSameRecord(last, await onReplica.GetAsync(id, Ct));
        Assert.Equal([entry], await onReplica.ReadDueEventsAsync(DateTimeOffset.UnixEpoch, 10, Ct));

        await using (var remover = await coordination.AcquireAsync(id, Fixtures.Generous, Ct))
        {
            await remover.RemoveAsync(Ct);
        }

        Assert.Null(await onReplica.GetAsync(id, Ct));
    }

    private static async Task WaitForReplicaAsync(RedisUploadCoordination coordination)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while ((long)await coordination.Database.ExecuteAsync("WAIT", 1, 100) < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the replica did not catch up within 15 s");
            await coordination.Database.StringSetAsync("tus:replication-probe", "1");
        }
    }
}
