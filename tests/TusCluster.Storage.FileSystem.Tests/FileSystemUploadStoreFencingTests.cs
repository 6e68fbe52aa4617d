using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;
using static TusCluster.Storage.FileSystem.Tests.StoreFixture;

namespace TusCluster.Storage.FileSystem.Tests;

/// <summary>
/// Several holders of one upload in turn, some of them stale: a stale writer may write bytes but
/// must never change the committed ones, and any holder may repeat the settling of a commit.
/// </summary>
public sealed class FileSystemUploadStoreFencingTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private readonly TemporaryDirectory _temp = new();
    private readonly string _root;
    private readonly FileSystemUploadStore _store;

    public FileSystemUploadStoreFencingTests()
    {
        _root = Path.Combine(_temp.Path, "root");
        _store = StoreFixture.Create(_root);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_stale_writer_that_finishes_staging_after_a_newer_commit_leaves_the_committed_bytes_alone()
    {
        var record = await CreateUploadAsync(_store);
        var stale = Filled(600_000, (byte)'A');
        var newer = RandomBytes(300_000, 1);

        // A (fence 5) has written part of its body when B (fence 6) takes over.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var body = new TrickleStream(stale[..500_000], gate: gate.Task, rest: stale[500_000..]);
        var staging = _store.StageAsync(record, new FixedFenceStaging(5), body, Ct).AsTask();
        await body.AtGate.WaitAsync(Generous, Ct);
        Assert.True(File.Exists(ChunkPath(record, 5)));

        var committed = await AppendAsync(_store, record, 6, newer);

        // A wakes up, finishes staging, fails to commit and throws its chunk away.
        gate.SetResult();
        var staged = await staging.WaitAsync(Generous, Ct);
        Assert.Equal(stale.Length, staged.Length);
        Assert.Equal(newer, await ReadDataAsync(committed));
        await _store.DiscardAsync(record, staged, Ct);

        Assert.Equal(newer, await ReadDataAsync(committed));
        Assert.Equal([$"root/{record.Id}/data"], _temp.Files());
    }

    [Fact]
    public async Task A_stale_chunk_that_is_never_discarded_never_reaches_the_data()
    {
        var record = await CreateUploadAsync(_store);
        var first = RandomBytes(1000, 1);
        var second = RandomBytes(2000, 2);

        // A (fence 5) stages and dies without committing or discarding.
        await _store.StageAsync(record, new FixedFenceStaging(5), new MemoryStream(Filled(5000, (byte)'A')), Ct);
        var committed = await AppendAsync(_store, record, 6, first);
        committed = await AppendAsync(_store, committed, 7, second);
        await _store.SettleAsync(committed, Ct);
        await _store.CompleteAsync(committed, Ct);

        Assert.Equal(Concat(first, second), await ReadDataAsync(committed));
        await _store.DeleteAsync(committed, Ct);
        Assert.Empty(_temp.Files());
    }

    [Fact]
    public async Task A_late_settle_of_a_first_chunk_after_a_later_holder_appended_changes_nothing()
    {
        var record = await CreateUploadAsync(_store);
        var first = RandomBytes(400_000, 1);
        var second = RandomBytes(1_200_000, 2);

        // B (fence 6) commits the first chunk but is slow to settle it.
        var (byB, _) = await StageAndCommitAsync(_store, record, 6, first);

        // C (fence 7) settles B's commit, then appends and settles its own chunk.
        var byC = await AppendAsync(_store, byB, 7, second);

        // B wakes up and settles its commit, more than once.
        await _store.SettleAsync(byB, Ct);
        await _store.SettleAsync(byB, Ct);

        Assert.Equal(Concat(first, second), await ReadDataAsync(byC));
        Assert.Equal([$"root/{record.Id}/data"], _temp.Files());
    }

    [Fact]
    public async Task A_late_settle_of_a_later_chunk_after_a_later_holder_appended_changes_nothing()
    {
        var record = await CreateUploadAsync(_store);
        var first = RandomBytes(100_000, 1);
        var second = RandomBytes(1_100_000, 2);
        var third = RandomBytes(50_000, 3);
        record = await AppendAsync(_store, record, 5, first);

        var (byB, _) = await StageAndCommitAsync(_store, record, 6, second);
        var byC = await AppendAsync(_store, byB, 7, third);
        await _store.SettleAsync(byB, Ct);
        await _store.SettleAsync(byB, Ct);

        Assert.Equal(Concat(first, second, third), await ReadDataAsync(byC));
        Assert.Equal([$"root/{record.Id}/data"], _temp.Files());
    }

    [Fact]
    public async Task A_late_settle_after_the_upload_was_finished_changes_nothing()
    {
        var first = RandomBytes(3000, 1);
        var second = RandomBytes(4000, 2);
        var record = await CreateUploadAsync(_store, length: first.Length + second.Length);
        var (byB, _) = await StageAndCommitAsync(_store, record, 6, first);
        var byC = await AppendAsync(_store, byB, 7, second);
        await _store.CompleteAsync(byC, Ct);

        await _store.SettleAsync(byB, Ct);
        await _store.SettleAsync(byC, Ct);

        Assert.Equal(Concat(first, second), await ReadDataAsync(byC));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_late_settle_after_the_upload_was_deleted_recreates_nothing(bool firstChunk)
    {
        var record = await CreateUploadAsync(_store);
        if (!firstChunk)
        {
            record = await AppendAsync(_store, record, 4, RandomBytes(10, 1));
        }

        var (byB, _) = await StageAndCommitAsync(_store, record, 6, RandomBytes(10, 2));
        var byC = await AppendAsync(_store, byB, 7, RandomBytes(10, 3));
        await _store.DeleteAsync(byC, Ct);

        // Retrying cannot help here, but a 503 to a stale writer is acceptable; recreating bytes is not.
        var failure = await Record.ExceptionAsync(async () => await _store.SettleAsync(byB, Ct));

        Assert.True(failure is null or StoreUnavailableException, failure?.ToString());
        Assert.Equal(["root"], _temp.Entries());
    }

    [Fact]
    public async Task Settling_the_same_commit_twice_is_harmless()
    {
        var record = await CreateUploadAsync(_store);
        var first = RandomBytes(5000, 1);
        var second = RandomBytes(6000, 2);

        var committed = await AppendAsync(_store, record, 5, first);
        await _store.SettleAsync(committed, Ct);
        committed = await AppendAsync(_store, committed, 6, second);
        await _store.SettleAsync(committed, Ct);
        await _store.SettleAsync(committed, Ct);

        Assert.Equal(Concat(first, second), await ReadDataAsync(committed));
        Assert.Equal([$"root/{record.Id}/data"], _temp.Files());
    }

    [Fact]
    public async Task Settling_a_record_with_nothing_pending_does_nothing()
    {
        var record = await CreateUploadAsync(_store);

        await _store.SettleAsync(record, Ct);

        Assert.Equal(["root", $"root/{record.Id}"], _temp.Entries());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_new_holder_settles_a_commit_left_unsettled_by_a_crash_and_continues(bool firstChunk)
    {
        var record = await CreateUploadAsync(_store);
        var earlier = firstChunk ? [] : RandomBytes(200_000, 1);
        var crashed = RandomBytes(700_000, 2);
        var next = RandomBytes(300_000, 3);
        if (!firstChunk)
        {
            record = await AppendAsync(_store, record, 4, earlier);
        }

        // A (fence 5) commits and crashes before settling.
        var (byA, _) = await StageAndCommitAsync(_store, record, 5, crashed);
        Assert.True(File.Exists(ChunkPath(record, 5)));

        // B (fence 6) settles what A left, then writes its own chunk.
        await _store.SettleAsync(byA, Ct);
        Assert.False(File.Exists(ChunkPath(record, 5)));
        var byB = await AppendAsync(_store, byA, 6, next);

        Assert.Equal(Concat(earlier, crashed, next), await ReadDataAsync(byB));
        Assert.Equal([$"root/{record.Id}/data"], _temp.Files());
    }

    [Fact]
    public async Task A_crash_after_linking_the_first_chunk_but_before_removing_it_is_repaired_by_the_next_holder()
    {
        var record = await CreateUploadAsync(_store);
        var first = RandomBytes(500_000, 1);
        var second = RandomBytes(500_000, 2);
        var (byA, _) = await StageAndCommitAsync(_store, record, 5, first);

        // A's settle got as far as the hard link, then the process died.
        Assert.Equal(HardLink.Result.Created, HardLink.TryCreate(ChunkPath(record, 5), DataPath(record)));

        var byB = await AppendAsync(_store, byA, 6, second);
        await _store.SettleAsync(byA, Ct);

        Assert.Equal(Concat(first, second), await ReadDataAsync(byB));
        Assert.Equal([$"root/{record.Id}/data"], _temp.Files());
    }

    [Fact]
    public async Task A_crash_half_way_through_a_positional_copy_is_repaired_by_the_next_holder()
    {
        var record = await CreateUploadAsync(_store);
        var first = RandomBytes(100_000, 1);
        var second = RandomBytes(2_500_000, 2);
        var third = RandomBytes(10, 3);
        record = await AppendAsync(_store, record, 4, first);
        var (byA, _) = await StageAndCommitAsync(_store, record, 5, second);

        // A's copy wrote only the first megabyte of its chunk into data, then the process died.
        await using (var data = new FileStream(DataPath(record), FileMode.Open, FileAccess.Write))
        {
            data.Position = first.Length;
            await data.WriteAsync(second.AsMemory(0, 1 << 20), Ct);
        }

        var byB = await AppendAsync(_store, byA, 6, third);

        Assert.Equal(Concat(first, second, third), await ReadDataAsync(byB));
        Assert.Equal([$"root/{record.Id}/data"], _temp.Files());
    }

    [Fact]
    public async Task Two_stale_writers_racing_a_holder_never_change_the_committed_bytes()
    {
        var record = await CreateUploadAsync(_store);
        var committedBytes = new List<byte[]>();
        var committed = record;
        var fence = 10L;
        for (var round = 0; round < 5; round++)
        {
            // Two stale writers stage concurrently with the holder and then throw their chunks away.
            var staleRecord = committed;
            var staleA = _store.StageAsync(staleRecord, new FixedFenceStaging(++fence), new TrickleStream(Filled(300_000, (byte)'A'), maxRead: 4096), Ct).AsTask();
            var staleB = _store.StageAsync(staleRecord, new FixedFenceStaging(++fence), new TrickleStream(Filled(300_000, (byte)'B'), maxRead: 4096), Ct).AsTask();
            var bytes = RandomBytes(100_000 + (round * 50_000), round);
            committed = await AppendAsync(_store, committed, ++fence, bytes);
            committedBytes.Add(bytes);
            foreach (var staged in await Task.WhenAll(staleA, staleB).WaitAsync(Generous, Ct))
            {
                await _store.DiscardAsync(staleRecord, staged, Ct);
            }
        }

        Assert.Equal(Concat([.. committedBytes]), await ReadDataAsync(committed));
        Assert.Equal([$"root/{record.Id}/data"], _temp.Files());
    }

    [Fact]
    public async Task Discarding_a_stale_chunk_after_a_newer_commit_keeps_the_newer_pending_chunk()
    {
        var record = await CreateUploadAsync(_store);
        var newer = RandomBytes(1000, 1);

        var stale = await _store.StageAsync(record, new FixedFenceStaging(5), new MemoryStream(Filled(800, (byte)'A')), Ct);
        var (byB, _) = await StageAndCommitAsync(_store, record, 6, newer);
        await _store.DiscardAsync(record, stale, Ct);
        await _store.SettleAsync(byB, Ct);

        Assert.Equal(newer, await ReadDataAsync(byB));
    }

    private string ChunkPath(UploadRecord record, long fence) => Path.Combine(_root, record.Id, $"{fence}.chunk");

    private string DataPath(UploadRecord record) => Path.Combine(_root, record.Id, "data");

    private async Task<byte[]> ReadDataAsync(UploadRecord record)
    {
        var viaStore = await ReadAllAsync(_store, record);
        Assert.Equal(await File.ReadAllBytesAsync(DataPath(record), Ct), viaStore);
        return viaStore;
    }
}
