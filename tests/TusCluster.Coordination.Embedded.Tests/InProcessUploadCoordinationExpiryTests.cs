using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Embedded.Tests;

public sealed class InProcessUploadCoordinationExpiryTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _temp = new();
    private readonly string _directory;

    public InProcessUploadCoordinationExpiryTests()
    {
        _directory = Path.Combine(_temp.Path, "meta");
    }

    public void Dispose() => _temp.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reads_only_entries_at_or_before_the_time_oldest_first_and_at_most_the_limit()
    {
        var coordination = CoordinationFixture.Create(_directory);
        var (late, atNoon, early, earliest, never) = (UploadId.New(), UploadId.New(), UploadId.New(), UploadId.New(), UploadId.New());
        await CommitAsync(coordination, late, Noon.AddTicks(1));
        await CommitAsync(coordination, atNoon, Noon);
        await CommitAsync(coordination, early, Noon.AddHours(-1));
        await CommitAsync(coordination, never, null);
        await CommitAsync(coordination, earliest, Noon.AddDays(-3));

        Assert.Equal(
            [new ExpiryEntry(earliest, Noon.AddDays(-3)), new ExpiryEntry(early, Noon.AddHours(-1)), new ExpiryEntry(atNoon, Noon)],
            await coordination.ReadExpiredAsync(Noon, 10, Ct));
        Assert.Equal(
            [new ExpiryEntry(earliest, Noon.AddDays(-3)), new ExpiryEntry(early, Noon.AddHours(-1))],
            await coordination.ReadExpiredAsync(Noon, 2, Ct));
        Assert.Empty(await coordination.ReadExpiredAsync(Noon, 0, Ct));
        Assert.Empty(await coordination.ReadExpiredAsync(Noon.AddDays(-4), 10, Ct));
        Assert.Equal(
            [earliest, early, atNoon, late],
            (await coordination.ReadExpiredAsync(DateTimeOffset.MaxValue, int.MaxValue, Ct)).Select(e => e.UploadId));
    }

    [Fact]
    public async Task Times_in_other_offsets_are_ordered_by_the_instant()
    {
        var coordination = CoordinationFixture.Create(_directory);
        var (first, second) = (UploadId.New(), UploadId.New());
        await CommitAsync(coordination, second, new DateTimeOffset(2025, 6, 1, 13, 0, 0, TimeSpan.FromHours(2)));
        await CommitAsync(coordination, first, new DateTimeOffset(2025, 6, 1, 7, 30, 0, TimeSpan.FromHours(-5)));

        var expired = await coordination.ReadExpiredAsync(Noon, 10, Ct);

        Assert.Equal([second], expired.Select(e => e.UploadId));
        Assert.Equal(
            [second, first],
            (await coordination.ReadExpiredAsync(Noon.AddHours(1), 10, Ct)).Select(e => e.UploadId));
    }

    [Fact]
    public async Task Changing_the_expiry_moves_the_entry()
    {
        var coordination = CoordinationFixture.Create(_directory);
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
        var coordination = CoordinationFixture.Create(_directory);
        var id = UploadId.New();
        await CommitAsync(coordination, id, Noon.AddHours(-1));

        await CommitAsync(coordination, id, null);

        Assert.Empty(await coordination.ReadExpiredAsync(DateTimeOffset.MaxValue, int.MaxValue, Ct));
        Assert.Empty(await CoordinationFixture.Create(_directory).ReadExpiredAsync(DateTimeOffset.MaxValue, int.MaxValue, Ct));
    }

    [Fact]
    public async Task Removing_the_record_removes_the_entry()
    {
        var coordination = CoordinationFixture.Create(_directory);
        var (removed, kept) = (UploadId.New(), UploadId.New());
        await CommitAsync(coordination, removed, Noon.AddHours(-1));
        await CommitAsync(coordination, kept, Noon.AddHours(-2));

        await using (var lease = await coordination.AcquireAsync(removed, CoordinationFixture.Generous, Ct))
        {
            await lease.RemoveAsync(Ct);
        }

        Assert.Equal([kept], (await coordination.ReadExpiredAsync(Noon, 10, Ct)).Select(e => e.UploadId));
        Assert.Equal([kept], (await CoordinationFixture.Create(_directory).ReadExpiredAsync(Noon, 10, Ct)).Select(e => e.UploadId));
    }

    [Fact]
    public async Task A_failed_commit_leaves_the_entry_alone()
    {
        var coordination = CoordinationFixture.Create(_directory);
        var id = UploadId.New();
        await CommitAsync(coordination, id, Noon.AddHours(-1));
        var stale = await coordination.AcquireAsync(id, CoordinationFixture.Generous, Ct);
        var newer = coordination.AcquireAsync(id, TimeSpan.FromSeconds(5), Ct).AsTask();
        await stale.DisposeAsync();
        await using var holder = await newer.WaitAsync(CoordinationFixture.Generous, Ct);

        await Assert.ThrowsAsync<LeaseLostException>(async () => await stale.CommitAsync(CoordinationFixture.NewRecord(id), Ct));

        Assert.Equal([new ExpiryEntry(id, Noon.AddHours(-1))], await coordination.ReadExpiredAsync(Noon, 10, Ct));
    }

    [Fact]
    public async Task A_new_instance_rebuilds_the_index_from_disk()
    {
        var first = CoordinationFixture.Create(_directory);
        var ids = Enumerable.Range(0, 40).Select(_ => UploadId.New()).ToArray();
        for (var i = 0; i < ids.Length; i++)
        {
            await CommitAsync(first, ids[i], i % 4 == 3 ? null : Noon.AddMinutes(i));
        }

        var restarted = CoordinationFixture.Create(_directory);

        var expected = ids.Select((id, i) => (id, i)).Where(e => e.i % 4 != 3).Select(e => new ExpiryEntry(e.id, Noon.AddMinutes(e.i))).ToArray();
        Assert.Equal(expected, await restarted.ReadExpiredAsync(DateTimeOffset.MaxValue, int.MaxValue, Ct));
        Assert.Equal(expected.Where(e => e.ExpiresAt <= Noon.AddMinutes(6)), await restarted.ReadExpiredAsync(Noon.AddMinutes(6), 100, Ct));
        Assert.Equal(6, (await restarted.ReadExpiredAsync(Noon.AddMinutes(6), 100, Ct)).Count);
    }

    [Fact]
    public async Task Commits_made_while_the_index_is_rebuilt_win_over_what_was_on_disk()
    {
        var id = UploadId.New();
        await CommitAsync(CoordinationFixture.Create(_directory), id, Noon.AddHours(-1));
        var restarted = CoordinationFixture.Create(_directory);

        await CommitAsync(restarted, id, Noon.AddHours(1));

        Assert.Equal([new ExpiryEntry(id, Noon.AddHours(1))], await restarted.ReadExpiredAsync(DateTimeOffset.MaxValue, 10, Ct));
    }

    [Fact]
    public async Task An_empty_directory_has_no_expired_uploads()
    {
        Assert.Empty(await CoordinationFixture.Create(_directory).ReadExpiredAsync(DateTimeOffset.MaxValue, 10, Ct));
    }

    private static async Task CommitAsync(InProcessUploadCoordination coordination, string id, DateTimeOffset? expiresAt)
    {
        await using var lease = await coordination.AcquireAsync(id, CoordinationFixture.Generous, Ct);
        var record = lease.Record ?? CoordinationFixture.NewRecord(id);
        await lease.CommitAsync(record with { ExpiresAt = expiresAt }, Ct);
    }
}
