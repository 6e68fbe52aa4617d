using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Etcd.Tests;

public sealed class EtcdExpiryIndexTests(SharedEtcd etcd) : IAsyncDisposable
{
    private static readonly DateTimeOffset Noon = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly EtcdUploadCoordination _coordination = Coordinations.Create(Coordinations.NewPrefix(), [etcd.Endpoint]);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _coordination.DisposeAsync();

    [Fact]
    public async Task Entries_come_oldest_first_up_to_the_given_time_and_limit()
    {
        var ids = Enumerable.Range(0, 12).Select(_ => UploadId.New()).ToArray();
        for (var i = ids.Length - 1; i >= 0; i--)
        {
            await CommitAsync(ids[i], i % 4 == 3 ? null : Noon.AddMinutes(i));
        }

        var expected = ids.Select((id, i) => (id, i)).Where(e => e.i % 4 != 3).Select(e => new ExpiryEntry(e.id, Noon.AddMinutes(e.i))).ToArray();
        Assert.Equal(expected, await _coordination.ReadExpiredAsync(DateTimeOffset.MaxValue, int.MaxValue, Ct));
        Assert.Equal(expected.Where(e => e.ExpiresAt <= Noon.AddMinutes(6)), await _coordination.ReadExpiredAsync(Noon.AddMinutes(6), 100, Ct));
        Assert.Equal(expected.Take(3), await _coordination.ReadExpiredAsync(DateTimeOffset.MaxValue, 3, Ct));
        Assert.Empty(await _coordination.ReadExpiredAsync(Noon.AddMilliseconds(-1), 100, Ct));
        Assert.Empty(await _coordination.ReadExpiredAsync(DateTimeOffset.MaxValue, 0, Ct));
    }

    [Fact]
    public async Task The_time_bound_is_inclusive_and_offsets_do_not_matter()
    {
        var (first, second) = (UploadId.New(), UploadId.New());
        await CommitAsync(second, new DateTimeOffset(2025, 6, 1, 13, 0, 0, TimeSpan.FromHours(2)));
        await CommitAsync(first, new DateTimeOffset(2025, 6, 1, 7, 30, 0, TimeSpan.FromHours(-5)));

        Assert.Equal([second], (await _coordination.ReadExpiredAsync(Noon.AddHours(-1), 10, Ct)).Select(e => e.UploadId));
        Assert.Equal([second, first], (await _coordination.ReadExpiredAsync(Noon.AddHours(0.5), 10, Ct)).Select(e => e.UploadId));
    }

    [Fact]
    public async Task An_expiry_between_milliseconds_is_never_reported_early()
    {
        var id = UploadId.New();
        await CommitAsync(id, Noon.AddTicks(1));

        Assert.Empty(await _coordination.ReadExpiredAsync(Noon, 10, Ct));
        Assert.Equal([id], (await _coordination.ReadExpiredAsync(Noon.AddMilliseconds(1), 10, Ct)).Select(e => e.UploadId));
    }

    [Fact]
    public async Task Changing_the_expiry_moves_the_entry()
    {
        var (moved, other) = (UploadId.New(), UploadId.New());
        await CommitAsync(moved, Noon.AddHours(-2));
        await CommitAsync(other, Noon.AddHours(-1));

        await CommitAsync(moved, Noon.AddHours(1));

        Assert.Equal([new ExpiryEntry(other, Noon.AddHours(-1))], await _coordination.ReadExpiredAsync(Noon, 10, Ct));
        Assert.Equal(
            [new ExpiryEntry(other, Noon.AddHours(-1)), new ExpiryEntry(moved, Noon.AddHours(1))],
            await _coordination.ReadExpiredAsync(Noon.AddHours(2), 10, Ct));
    }

    [Fact]
    public async Task Committing_the_same_expiry_again_keeps_one_entry()
    {
        var id = UploadId.New();
        await CommitAsync(id, Noon);
        await CommitAsync(id, Noon);

        Assert.Equal([new ExpiryEntry(id, Noon)], await _coordination.ReadExpiredAsync(Noon, 10, Ct));
    }

    [Fact]
    public async Task Clearing_the_expiry_removes_the_entry()
    {
        var id = UploadId.New();
        await CommitAsync(id, Noon.AddHours(-1));

        await CommitAsync(id, null);

        Assert.Empty(await _coordination.ReadExpiredAsync(DateTimeOffset.MaxValue, int.MaxValue, Ct));
    }

    [Fact]
    public async Task Removing_the_record_removes_the_entry()
    {
        var (removed, kept) = (UploadId.New(), UploadId.New());
        await CommitAsync(removed, Noon.AddHours(-1));
        await CommitAsync(kept, Noon.AddHours(-2));

        await using (var lease = await _coordination.AcquireAsync(removed, Coordinations.Generous, Ct))
        {
            await lease.RemoveAsync(Ct);
        }

        Assert.Equal([kept], (await _coordination.ReadExpiredAsync(Noon, 10, Ct)).Select(e => e.UploadId));
    }

    [Fact]
    public async Task A_failed_commit_leaves_the_entry_alone()
    {
        var id = UploadId.New();
        await CommitAsync(id, Noon.AddHours(-1));
        var stale = await _coordination.AcquireAsync(id, Coordinations.Generous, Ct);
        await stale.DisposeAsync();
        await using var holder = await _coordination.AcquireAsync(id, Coordinations.Generous, Ct);

        await Assert.ThrowsAsync<LeaseLostException>(async () => await stale.CommitAsync(Coordinations.NewRecord(id, expiresAt: Noon.AddHours(-3)), Ct));

        Assert.Equal([new ExpiryEntry(id, Noon.AddHours(-1))], await _coordination.ReadExpiredAsync(Noon, 10, Ct));
    }

    [Fact]
    public async Task An_empty_prefix_has_no_expired_uploads()
    {
        Assert.Empty(await _coordination.ReadExpiredAsync(DateTimeOffset.MaxValue, 10, Ct));
    }

    private async Task CommitAsync(string id, DateTimeOffset? expiresAt)
    {
        await using var lease = await _coordination.AcquireAsync(id, Coordinations.Generous, Ct);
        var record = lease.Record ?? Coordinations.NewRecord(id);
        await lease.CommitAsync(record with { ExpiresAt = expiresAt }, Ct);
    }
}
