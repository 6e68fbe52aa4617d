using static TusCluster.Storage.FileSystem.Tests.StoreFixture;

namespace TusCluster.Storage.FileSystem.Tests;

/// <summary>Staging files that a writer killed mid-body left behind (issue 12, item 7).</summary>
public sealed class FileSystemUploadStoreLeftoverTests : IDisposable
{
    private readonly TemporaryDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_next_holder_removes_chunks_of_older_fences_that_were_never_committed()
    {
        var store = Create(_temp.Path);
        var record = await CreateUploadAsync(store, 3_000_000);
        var first = RandomBytes(500_000, 1);
        var next = RandomBytes(400_000, 2);
        record = await AppendAsync(store, record, 4, first);

        // A writer with fence 5 staged part of a body and was killed: nothing of it was committed.
        await store.StageAsync(record, new FixedFenceStaging(5), new MemoryStream(RandomBytes(700_000, 3)), Ct);

        var byNext = await AppendAsync(store, record, 6, next);

        Assert.Equal(Concat(first, next), await ReadAllAsync(store, byNext));
        Assert.Equal([$"{record.Id}/data"], _temp.Files());
    }

    [Fact]
    public async Task A_committed_chunk_that_is_not_settled_yet_is_settled_not_deleted_and_older_leftovers_go()
    {
        var store = Create(_temp.Path);
        var record = await CreateUploadAsync(store, 3_000_000);
        var first = RandomBytes(500_000, 1);
        var committedNotSettled = RandomBytes(600_000, 2);
        record = await AppendAsync(store, record, 4, first);
        await store.StageAsync(record, new FixedFenceStaging(5), new MemoryStream(RandomBytes(700_000, 3)), Ct);

        // Fence 6 committed its chunk and died before settling it.
        var (bySix, _) = await StageAndCommitAsync(store, record, 6, committedNotSettled);

        // The next holder (fence 7) settles fence 6's chunk before it stages its own.
        var last = RandomBytes(100_000, 4);
        var bySeven = await AppendAsync(store, bySix, 7, last);

        Assert.Equal(Concat(first, committedNotSettled, last), await ReadAllAsync(store, bySeven));
        Assert.Equal([$"{record.Id}/data"], _temp.Files());
    }

    [Fact]
    public async Task A_stale_writer_never_removes_the_chunk_of_a_newer_fence()
    {
        var store = Create(_temp.Path);
        var record = await CreateUploadAsync(store, 3_000_000);
        record = await AppendAsync(store, record, 4, RandomBytes(500_000, 1));

        // Fence 9 holds the upload and has staged; fence 8 lost its lease but still stages, and settles late.
        await store.StageAsync(record, new FixedFenceStaging(9), new MemoryStream(RandomBytes(100_000, 2)), Ct);
        await store.StageAsync(record, new FixedFenceStaging(8), new MemoryStream(RandomBytes(100_000, 3)), Ct);
        await store.SettleAsync(record, Ct);

        Assert.Equal([$"{record.Id}/8.chunk", $"{record.Id}/9.chunk", $"{record.Id}/data"], _temp.Files());
    }
}
