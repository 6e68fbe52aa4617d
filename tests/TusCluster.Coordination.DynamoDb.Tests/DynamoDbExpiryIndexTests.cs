using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.DynamoDb.Tests;

public sealed class DynamoDbExpiryIndexTests(DynaliteServerFixture dynalite) : IClassFixture<DynaliteServerFixture>
{
    private static readonly DateTimeOffset Noon = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Each test gets its own table, hence its own expiry index.</summary>
    private DynamoDbUploadCoordination Create() => Fixtures.Create(dynalite.Server, $"exp-{Guid.NewGuid():N}");

    [Fact]
    public async Task Reads_up_to_now_and_not_what_expires_later()
    {
        await using var coordination = Create();
        var now = DateTimeOffset.UtcNow;
        var (past, future) = (UploadId.New(), UploadId.New());
        await CommitAsync(coordination, future, now.AddMinutes(5));
        await CommitAsync(coordination, past, now.AddMinutes(-5));

        var expired = await coordination.ReadExpiredAsync(DateTimeOffset.UtcNow, 100, Ct);

        Assert.Equal([past], expired.Select(e => e.UploadId));
    }

    [Fact]
    public async Task Uploads_spread_over_every_shard_and_are_read_back_from_all()
    {
        await using var coordination = Create();
        // 64 random ids leave a shard empty about once in 600 runs: draw until every shard has one.
        var drawn = new List<string>();
        while (drawn.Count < 64 || drawn.Select(Table.ExpiryKeys.Shard).Distinct().Count() < Table.ExpiryKeys.ShardCount)
        {
            Assert.True(drawn.Count < 1000, "FNV-1a put 1000 random ids into fewer than 8 shards.");
            drawn.Add(UploadId.New());
        }

        var ids = drawn.ToArray();
        foreach (var id in ids)
        {
            await CommitAsync(coordination, id, Noon);
        }

        Assert.Equal(Table.ExpiryKeys.ShardCount, ids.Select(Table.ExpiryKeys.Shard).Distinct().Count());
        Assert.Equal(ids.Order(StringComparer.Ordinal), (await coordination.ReadExpiredAsync(Noon, 100, Ct)).Select(e => e.UploadId));
        Assert.Equal(ids.Order(StringComparer.Ordinal).Take(10), (await coordination.ReadExpiredAsync(Noon, 10, Ct)).Select(e => e.UploadId));
    }

    private static async Task CommitAsync(DynamoDbUploadCoordination coordination, string id, DateTimeOffset? expiresAt)
    {
        await using var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        var record = lease.Record ?? Fixtures.NewRecord(id);
        await lease.CommitAsync(record with { ExpiresAt = expiresAt }, Ct);
    }
}
