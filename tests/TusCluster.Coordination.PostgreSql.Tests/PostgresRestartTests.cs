using TusCluster.Coordination.Contract;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.PostgreSql.Tests;

/// <summary>Each test owns its server: a restarted or crashed PostgreSQL loses nothing committed, and replicas carry on.</summary>
public sealed class PostgresRestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Everything_committed_survives_a_restart_and_the_same_replica_carries_on(bool crash)
    {
        await using var server = await PostgresServer.StartAsync();
        await using var replica = Fixtures.Create(server, Fixtures.NewSchema());
        var noon = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var committed = new List<UploadRecord>();
        var events = new List<OutboxEntry>();
        long highestFence = 0;
        for (var i = 0; i < 20; i++)
        {
            var id = UploadId.New();
            var entry = new OutboxEntry { Id = UploadId.New(), UploadId = id, DueAt = noon.AddSeconds(i), Payload = "{}" };
            var lease = await replica.AcquireAsync(id, Fixtures.Generous, Ct);
            committed.Add(await lease.CommitAndReleaseAsync(TestRecords.New(id, offset: i, expiresAt: noon.AddMinutes(i)), [entry], Ct));
            events.Add(entry);
            highestFence = Math.Max(highestFence, lease.FencingToken);
        }

        await (crash ? server.KillAsync() : server.StopAsync());
        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await replica.GetAsync(committed[0].Id, Ct));
        await server.StartProcessAsync();

        await Eventually.HoldsAsync(() => replica.IsHealthyAsync(Ct), "the replica to see PostgreSQL again");
        foreach (var record in committed)
        {
            TestRecords.AssertSame(record, await replica.GetAsync(record.Id, Ct));
        }

        Assert.Equal(events, await replica.ReadDueEventsAsync(DateTimeOffset.MaxValue, 100, Ct));
        Assert.Equal(committed.Select(r => r.Id), (await replica.ReadExpiredAsync(DateTimeOffset.MaxValue, 100, Ct)).Select(e => e.UploadId));
        await using var again = await replica.AcquireAsync(committed[^1].Id, Fixtures.Generous, Ct);
        Assert.True(again.FencingToken > committed[^1].Fence);
        TestRecords.AssertSame(committed[^1], again.Record);
    }
}
