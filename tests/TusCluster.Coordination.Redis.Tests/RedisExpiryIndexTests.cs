using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Redis.Tests;

public sealed class RedisExpiryIndexTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly DateTimeOffset Noon = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Each test gets its own key prefix, hence its own expiry index.</summary>
    private RedisUploadCoordination Create() => Fixtures.Create(redis.Server, o => o.KeyPrefix = $"exp-{Guid.NewGuid():N}:");

    [Fact]
    public async Task Reads_only_what_expired_oldest_first_and_honours_the_limit()
    {
        await using var coordination = Create();
        var ids = Enumerable.Range(0, 40).Select(_ => UploadId.New()).ToArray();
        for (var i = ids.Length - 1; i >= 0; i--)
        {
            await CommitAsync(coordination, ids[i], i % 4 == 3 ? null : Noon.AddMinutes(i));
        }

        var expected = ids.Select((id, i) => (id, i)).Where(e => e.i % 4 != 3).Select(e => new ExpiryEntry(e.id, Noon.AddMinutes(e.i))).ToArray();
        Assert.Equal(expected, await coordination.ReadExpiredAsync(DateTimeOffset.MaxValue, int.MaxValue, Ct));
        Assert.Equal(expected.Where(e => e.ExpiresAt <= Noon.AddMinutes(6)), await coordination.ReadExpiredAsync(Noon.AddMinutes(6), 100, Ct));
        Assert.Equal(expected.Take(5), await coordination.ReadExpiredAsync(DateTimeOffset.MaxValue, 5, Ct));
        Assert.Empty(await coordination.ReadExpiredAsync(Noon.AddMinutes(-1), 100, Ct));
        Assert.Empty(await coordination.ReadExpiredAsync(DateTimeOffset.MaxValue, 0, Ct));
    }

    [Fact]
    public async Task Entries_are_ordered_by_instant_whatever_their_offset()
    {
        await using var coordination = Create();
        var (first, second) = (UploadId.New(), UploadId.New());
        await CommitAsync(coordination, second, new DateTimeOffset(2025, 6, 1, 13, 0, 0, TimeSpan.FromHours(2)));
        await CommitAsync(coordination, first, new DateTimeOffset(2025, 6, 1, 7, 30, 0, TimeSpan.FromHours(-5)));

        Assert.Equal([second], (await coordination.ReadExpiredAsync(Noon, 10, Ct)).Select(e => e.UploadId));
        Assert.Equal([second, first], (await coordination.ReadExpiredAsync(Noon.AddHours(1), 10, Ct)).Select(e => e.UploadId));
    }

    [Fact]
    public async Task Changing_the_expiry_moves_the_entry()
    {
        await using var coordination = Create();
        var (moved, other) = (UploadId.New(), UploadId.New());
        await CommitAsync(coordination, moved, Noon.AddHours(-2));
        await CommitAsync(coordination, other, Noon.AddHours(-1));

        await CommitAsync(coordination, moved, Noon.AddHours(1));

        Assert.Equal([new ExpiryEntry(other, Noon.AddHours(-1))], await coordination.ReadExpiredAsync(Noon, 10, Ct));
        Assert.Equal(
            [new ExpiryEntry(other, Noon.AddHours(-1)), new ExpiryEntry(moved, Noon.AddHours(1))],
            await coordination.ReadExpiredAsync(Noon.AddHours(2), 10, Ct));
    }

    [Fact]
    public async Task Clearing_the_expiry_removes_the_entry()
    {
        await using var coordination = Create();
        var id = UploadId.New();
        await CommitAsync(coordination, id, Noon.AddHours(-1));

        await CommitAsync(coordination, id, null);

        Assert.Empty(await coordination.ReadExpiredAsync(DateTimeOffset.MaxValue, int.MaxValue, Ct));
    }

    [Fact]
    public async Task Removing_the_record_removes_the_entry()
    {
        await using var coordination = Create();
        var (removed, kept) = (UploadId.New(), UploadId.New());
        await CommitAsync(coordination, removed, Noon.AddHours(-1));
        await CommitAsync(coordination, kept, Noon.AddHours(-2));

        await using (var lease = await coordination.AcquireAsync(removed, Fixtures.Generous, Ct))
        {
            await lease.RemoveAsync(Ct);
        }

        Assert.Equal([kept], (await coordination.ReadExpiredAsync(Noon, 10, Ct)).Select(e => e.UploadId));
    }

    [Fact]
    public async Task A_failed_commit_leaves_the_entry_alone()
    {
        await using var coordination = Create();
        var id = UploadId.New();
        await CommitAsync(coordination, id, Noon.AddHours(-1));
        var stale = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        await stale.DisposeAsync();
        await using var holder = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);

        await Assert.ThrowsAsync<LeaseLostException>(async () => await stale.CommitAsync(Fixtures.NewRecord(id), Ct));

        Assert.Equal([new ExpiryEntry(id, Noon.AddHours(-1))], await coordination.ReadExpiredAsync(Noon, 10, Ct));
    }

    [Fact]
    public async Task An_empty_index_has_no_expired_uploads()
    {
        await using var coordination = Create();

        Assert.Empty(await coordination.ReadExpiredAsync(DateTimeOffset.MaxValue, 10, Ct));
    }

    private static async Task CommitAsync(RedisUploadCoordination coordination, string id, DateTimeOffset? expiresAt)
    {
        await using var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct);
        var record = lease.Record ?? Fixtures.NewRecord(id);
        await lease.CommitAsync(record with { ExpiresAt = expiresAt }, Ct);
    }
}
