using TusCluster.Protocol.Storage;
using static TusCluster.Storage.FileSystem.Tests.StoreFixture;

namespace TusCluster.Storage.FileSystem.Tests;

public sealed class FileSystemUploadStoreFailureTests : IDisposable
{
    private readonly TemporaryDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task A_stage_that_fails_half_way_leaves_no_chunk_file_and_is_retryable()
    {
        var store = Create(_root.Path);
        var record = await CreateUploadAsync(store, 2_000_000);

        // 600 KB arrive (more than one write), then the body breaks as a failing disk or socket would.
        await using var body = new FailingStream(600_000);
        var failure = await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.StageAsync(record, new FixedFenceStaging(7), body, Ct));

        Assert.IsType<IOException>(failure.InnerException);
        Assert.Empty(Directory.EnumerateFiles(_root.Path, "*.chunk", SearchOption.AllDirectories));
    }

    /// <summary>Stands in for a body whose source fails: yields some bytes, then throws IOException.</summary>
    private sealed class FailingStream(int bytesBeforeFailure) : MemoryStream(new byte[bytesBeforeFailure])
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer[..Math.Min(buffer.Length, 64 * 1024)], cancellationToken);
            return read > 0 ? read : throw new IOException("the disk went away");
        }
    }
}
