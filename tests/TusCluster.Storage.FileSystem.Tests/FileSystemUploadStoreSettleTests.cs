using static TusCluster.Storage.FileSystem.Tests.StoreFixture;

namespace TusCluster.Storage.FileSystem.Tests;

/// <summary>Moving a committed chunk into the data file from its end, and settlers that meet.</summary>
public sealed class FileSystemUploadStoreSettleTests : IDisposable
{
    private const int MiB = 1024 * 1024;
    private readonly TemporaryDirectory _temp = new();
    private readonly FileSystemUploadStore _store;

    public FileSystemUploadStoreSettleTests()
    {
        _store = Create(_temp.Path);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_settler_that_died_after_moving_the_end_of_a_chunk_is_finished_by_the_next_holder()
    {
        var record = await CreateUploadAsync(_store);
        var first = RandomBytes(300_000, 1);
        var second = RandomBytes((5 * MiB) / 2, 2);
        var third = RandomBytes(10, 3);
        record = await AppendAsync(_store, record, 4, first);
        var (byA, _) = await StageAndCommitAsync(_store, record, 5, second);

        // A moved the chunk's last megabyte into data, truncated the chunk behind it, then died.
        var chunk = Path.Combine(_temp.Path, record.Id, "5.chunk");
        await using (var data = new FileStream(Path.Combine(_temp.Path, record.Id, "data"), FileMode.Open, FileAccess.Write))
        {
            data.Position = first.Length + second.Length - MiB;
            await data.WriteAsync(second.AsMemory(second.Length - MiB), Ct);
        }

        await using (var truncate = new FileStream(chunk, FileMode.Open, FileAccess.Write))
        {
            truncate.SetLength(second.Length - MiB);
        }

        var byB = await AppendAsync(_store, byA, 6, third);

        Assert.Equal(Concat(first, second, third), await ReadAllAsync(_store, byB));
        Assert.Equal([$"{record.Id}/data"], _temp.Files());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Settlers_of_the_same_chunk_that_run_at_once_move_it_exactly_once(bool firstChunk)
    {
        var record = await CreateUploadAsync(_store);
        var first = firstChunk ? [] : RandomBytes(200_000, 1);
        var second = RandomBytes(6 * MiB, 2);
        if (!firstChunk)
        {
            record = await AppendAsync(_store, record, 4, first);
        }

        var (committed, _) = await StageAndCommitAsync(_store, record, 5, second);

        // The releasing writer, the next holder and a GET finishing the upload may all settle at once.
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () => await _store.SettleAsync(committed, Ct), Ct)));

        Assert.Equal(Concat(first, second), await ReadAllAsync(_store, committed));
        Assert.Equal([$"{record.Id}/data"], _temp.Files());
    }

    [Fact]
    public async Task A_settler_waits_for_one_that_holds_the_chunk()
    {
        var record = await CreateUploadAsync(_store);
        var first = RandomBytes(200_000, 1);
        var second = RandomBytes(2 * MiB, 2);
        record = await AppendAsync(_store, record, 4, first);
        var (committed, _) = await StageAndCommitAsync(_store, record, 5, second);
        var chunk = Path.Combine(_temp.Path, record.Id, "5.chunk");

        Task settle;
        using (var held = File.OpenHandle(chunk, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete))
        {
            Assert.True(UnixFiles.TryLockExclusive(held));
            settle = _store.SettleAsync(committed, Ct).AsTask();
            await Task.Delay(300, Ct);

            Assert.False(settle.IsCompleted);
            Assert.Equal(second.Length, new FileInfo(chunk).Length);
        }

        await settle.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(Concat(first, second), await ReadAllAsync(_store, committed));
        Assert.Equal([$"{record.Id}/data"], _temp.Files());
    }
}
