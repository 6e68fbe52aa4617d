using static TusCluster.Storage.FileSystem.Tests.StoreFixture;

namespace TusCluster.Storage.FileSystem.Tests;

/// <summary>
/// The engine's body is written from its own buffers with vectored positional writes: whatever the
/// buffers' sizes and however many arrive at once, the file holds the body byte for byte.
/// </summary>
public sealed class FileSystemUploadStoreSegmentTests : IDisposable
{
    private readonly TemporaryDirectory _temp = new();
    private readonly FileSystemUploadStore _store;

    public FileSystemUploadStoreSegmentTests() => _store = StoreFixture.Create(Path.Combine(_temp.Path, "root"));

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(4096, 4096)] // one buffer per read: a plain pwrite
    [InlineData(4096, 300 * 4096 + 123)] // more buffers than one pwritev takes, and a short last one
    [InlineData(1000, 64 * 1024)] // buffers that do not divide the read
    [InlineData(7, 1000)]
    public async Task A_body_in_many_buffers_is_staged_byte_identical(int segmentSize, int bytesPerRead)
    {
        var bytes = RandomBytes(3 * 1024 * 1024 + 17, seed: segmentSize);
        var body = new SegmentedBody(bytes, segmentSize, bytesPerRead);
        var record = await CreateUploadAsync(_store, length: bytes.Length);
        await _store.SettleAsync(record, Ct);

        var staged = await _store.StageAsync(record, new FixedFenceStaging(7), body, Ct);
        var committed = Commit(record, 7, staged);
        await _store.SettleAsync(committed, Ct);

        Assert.Equal(bytes.Length, staged.Length);
        Assert.Equal(bytes.Length, body.Consumed);
        Assert.Equal(Math.Min(bytesPerRead, bytes.Length), body.LongestRead);
        Assert.Equal(bytes, await ReadAllAsync(_store, committed with { StoreState = await _store.CompleteAsync(committed, Ct) }));
    }

    [Fact]
    public async Task Small_reads_gathered_between_large_ones_keep_their_order()
    {
        // Small reads are gathered and written before the next large read is written where it is.
        var bytes = RandomBytes(2 * 1024 * 1024, seed: 9);
        var body = new SegmentedBody(bytes, 4096, 5_000, 100_000, 4096, 4096, 300_000, 1);
        var record = await CreateUploadAsync(_store, length: bytes.Length);

        var staged = await _store.StageAsync(record, new FixedFenceStaging(7), body, Ct);
        var committed = Commit(record, 7, staged);
        await _store.SettleAsync(committed, Ct);

        Assert.Equal(bytes.Length, staged.Length);
        var stored = await ReadAllAsync(_store, committed with { StoreState = await _store.CompleteAsync(committed, Ct) });
        Assert.Equal(bytes, stored);
    }

    [Fact]
    public async Task A_later_chunk_in_buffers_lands_at_its_offset()
    {
        var first = RandomBytes(100_000, seed: 1);
        var second = RandomBytes(2 * 1024 * 1024, seed: 2);
        var record = await CreateUploadAsync(_store, length: first.Length + second.Length);
        record = await AppendAsync(_store, record, 3, first);

        await _store.SettleAsync(record, Ct);
        var staged = await _store.StageAsync(record, new FixedFenceStaging(4), new SegmentedBody(second, 4096, 1024 * 1024), Ct);
        var committed = Commit(record, 4, staged);
        await _store.SettleAsync(committed, Ct);

        Assert.True(committed.IsComplete);
        var stored = await ReadAllAsync(_store, committed with { StoreState = await _store.CompleteAsync(committed, Ct) });
        Assert.Equal([.. first, .. second], stored);
    }
}
