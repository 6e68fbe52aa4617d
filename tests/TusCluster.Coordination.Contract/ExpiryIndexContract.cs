using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Contract;

/// <summary>The expiry index the sweeper reads: what every coordination backend must do alike.</summary>
public abstract class ExpiryIndexContract : CoordinationContract
{
    private static readonly DateTimeOffset Noon = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Reads_only_what_expired_oldest_first_and_honours_the_limit()
    {
        var coordination = Replica();
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
    public async Task Entries_are_ordered_by_instant_whatever_their_offset_and_the_bound_is_inclusive()
    {
        var coordination = Replica();
        var (first, second) = (UploadId.New(), UploadId.New());
        await CommitAsync(coordination, second, new DateTimeOffset(2025, 6, 1, 13, 0, 0, TimeSpan.FromHours(2)));
        await CommitAsync(coordination, first, new DateTimeOffset(2025, 6, 1, 7, 30, 0, TimeSpan.FromHours(-5)));

        Assert.Equal([second], (await coordination.ReadExpiredAsync(Noon, 10, Ct)).Select(e => e.UploadId));
        Assert.Equal([second, first], (await coordination.ReadExpiredAsync(Noon.AddMinutes(30), 10, Ct)).Select(e => e.UploadId));
    }

    [Fact]
    public async Task An_expiry_between_milliseconds_is_never_reported_early()
    {
        var coordination = Replica();
        var id = UploadId.New();
        await CommitAsync(coordination, id, Noon.AddTicks(1));

        Assert.Empty(await coordination.ReadExpiredAsync(Noon, 10, Ct));
        Assert.Equal([id], (await coordination.ReadExpiredAsync(Noon.AddMilliseconds(1), 10, Ct)).Select(e => e.UploadId));
    }

    [Fact]
    public async Task Changing_the_expiry_moves_the_entry_and_leaves_one_entry()
    {
        var coordination = Replica();
        var (moved, other) = (UploadId.New(), UploadId.New());
        await CommitAsync(coordination, moved, Noon.AddHours(-2));
        await CommitAsync(coordination, other, Noon.AddHours(-1));

        await CommitAsync(coordination, moved, Noon.AddHours(1));
        await CommitAsync(coordination, moved, Noon.AddHours(1));

        Assert.Equal([new ExpiryEntry(other, Noon.AddHours(-1))], await coordination.ReadExpiredAsync(Noon, 10, Ct));
        Assert.Equal(
            [new ExpiryEntry(other, Noon.AddHours(-1)), new ExpiryEntry(moved, Noon.AddHours(1))],
            await coordination.ReadExpiredAsync(Noon.AddHours(2), 10, Ct));
    }

    [Fact]
    public async Task Clearing_the_expiry_removes_the_entry()
    {
        var coordination = Replica();
        var id = UploadId.New();
        await CommitAsync(coordination, id, Noon.AddHours(-1));

        await CommitAsync(coordination, id, null);

        Assert.Empty(await coordination.ReadExpiredAsync(DateTimeOffset.MaxValue, int.MaxValue, Ct));
    }

    [Fact]
    public async Task Removing_the_record_removes_the_entry()
    {
        var coordination = Replica();
        var (removed, kept) = (UploadId.New(), UploadId.New());
        await CommitAsync(coordination, removed, Noon.AddHours(-1));
        await CommitAsync(coordination, kept, Noon.AddHours(-2));

        await using (var lease = await coordination.AcquireAsync(removed, Generous, Ct))
        {
            await lease.RemoveAsync(Ct);
        }

        Assert.Equal([kept], (await coordination.ReadExpiredAsync(Noon, 10, Ct)).Select(e => e.UploadId));
    }

    [Fact]
    public async Task A_failed_commit_leaves_the_entry_alone()
    {
        var coordination = Replica();
        var id = UploadId.New();
        await CommitAsync(coordination, id, Noon.AddHours(-1));
        var stale = await coordination.AcquireAsync(id, Generous, Ct);
        await stale.DisposeAsync();
        await using var holder = await coordination.AcquireAsync(id, Generous, Ct);

        await Assert.ThrowsAsync<LeaseLostException>(async () => await stale.CommitAsync(NewRecord(id), Ct));
        await Assert.ThrowsAsync<LeaseLostException>(async () => await stale.CommitAndReleaseAsync(NewRecord(id), Ct));

        Assert.Equal([new ExpiryEntry(id, Noon.AddHours(-1))], await coordination.ReadExpiredAsync(Noon, 10, Ct));
    }

    [Fact]
    public async Task Another_replica_reads_the_same_index()
    {
        var id = UploadId.New();
        await CommitAsync(Replica(), id, Noon);

        Assert.Equal([new ExpiryEntry(id, Noon)], await Replica().ReadExpiredAsync(Noon, 10, Ct));
    }

    [Fact]
    public async Task An_empty_index_has_no_expired_uploads()
    {
        Assert.Empty(await Replica().ReadExpiredAsync(DateTimeOffset.MaxValue, 10, Ct));
    }
}
