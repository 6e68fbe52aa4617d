using Microsoft.Extensions.Options;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Storage.FileSystem;

/// <summary>
/// Uploads as files. A writer streams its chunk into <c>&lt;fence&gt;.chunk</c>; once the offset is
/// committed the chunk is moved into <c>data</c> by a hard link (first chunk) or a positional copy from
/// its end that frees the chunk as it goes (<see cref="ChunkSettler"/>). Both only ever put committed
/// bytes where they belong, so any holder may repeat them and a stale writer can never overwrite what
/// another replica committed. A final upload references its partials' blocks where the filesystem can
/// share extents and copies them otherwise (<see cref="ConcatenatedFile"/>). A full disk surfaces as
/// <see cref="StoreUnavailableException.OutOfSpace"/>.
/// </summary>
internal sealed class FileSystemUploadStore(IOptions<FileSystemStoreOptions> options) : IUploadStore
{
    private readonly UploadPaths _paths = new(Path.GetFullPath(options.Value.Root), options.Value.DatePartitioned);
    private readonly bool _fsync = options.Value.Fsync;

    public ValueTask<string?> CreateAsync(UploadRecord upload, CancellationToken cancellationToken) =>
        Guard(() =>
        {
            Directory.CreateDirectory(_paths.Directory(upload));
            return (string?)null;
        });

    public async ValueTask<StagedChunk> StageAsync(UploadRecord upload, IStagingContext staging, Stream chunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staging);
        var fence = staging.FencingToken;
        var path = _paths.Chunk(upload, fence);
        try
        {
            // A creation's directory was made just now and nobody else knows the id: no chunk to look for
            // (a directory listing is a quarter of a small creation's file-system calls).
            if (staging.RecordExists)
            {
                AbandonedChunks.Remove(_paths.Directory(upload), fence, upload.StoreState);
            }

            var length = await ChunkFiles.WriteNewAsync(path, chunk, _fsync, cancellationToken);
            return length == 0
                ? new StagedChunk(0, upload.StoreState)
                : new StagedChunk(length, new PendingChunk(fence, upload.Offset, length).Format());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            // Nothing staged by a failed write is ever committed; leave no half-written file behind.
            TryDelete(path);
            throw e is OperationCanceledException ? e : Unavailable($"Could not stage a chunk of upload {upload.Id}.", e);
        }
    }

    public ValueTask DiscardAsync(UploadRecord upload, StagedChunk chunk, CancellationToken cancellationToken) =>
        Guard(() =>
        {
            if (PendingChunk.Parse(chunk.StoreState) is { } pending && pending.Fence != PendingChunk.Parse(upload.StoreState)?.Fence)
            {
                File.Delete(_paths.Chunk(upload, pending.Fence));
            }

        });

    public async ValueTask SettleAsync(UploadRecord committed, CancellationToken cancellationToken)
    {
        try
        {
            // Nearly always the writer that committed the chunk moved it already: one stat settles that
            // case, which every PATCH of a chunked upload goes through first. A first chunk needs no stat:
            // link(2) is the move and finds a moved chunk missing, so a creation that carries its whole
            // upload settles in two calls (link, unlink).
            if (PendingChunk.Parse(committed.StoreState) is { } pending && _paths.Chunk(committed, pending.Fence) is var chunk
                && (pending.Start == 0 || File.Exists(chunk)))
            {
                await ChunkSettler.MoveAsync(chunk, _paths.Data(committed), pending.Start, _fsync, cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unavailable("The file store failed: " + e.Message, e);
        }
    }

    public ValueTask<string?> CompleteAsync(UploadRecord upload, CancellationToken cancellationToken) =>
        Guard(() =>
        {
            // A zero-byte upload never staged a chunk, so its data file is made here; otherwise settling made it.
            var path = _paths.Data(upload);
            if (upload.Length == 0 || _fsync)
            {
                using var data = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite);
                if (_fsync)
                {
                    RandomAccess.FlushToDisk(data);
                }
            }

            return (string?)null;
        });

    public ValueTask<string?> ConcatenateAsync(UploadRecord final, IReadOnlyList<UploadRecord> partials, CancellationToken cancellationToken) =>
        Guard(() =>
        {
            Directory.CreateDirectory(_paths.Directory(final));
            var building = Path.Combine(_paths.Directory(final), $"{Guid.NewGuid():N}.concat");
            try
            {
                using (var target = File.OpenHandle(building, FileMode.CreateNew, FileAccess.Write))
                {
                    var concatenated = new ConcatenatedFile(target);
                    foreach (var partial in partials)
                    {
                        using var source = File.OpenHandle(_paths.Data(partial), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                        concatenated.Append(source);
                    }

                    if (_fsync)
                    {
                        RandomAccess.FlushToDisk(target);
                    }
                }

                HardLink.TryCreate(building, _paths.Data(final));
            }
            finally
            {
                File.Delete(building);
            }

            return (string?)null;
        });

    public ValueTask<Stream> OpenReadAsync(UploadRecord upload, long offset, long count, CancellationToken cancellationToken) =>
        Guard(() =>
        {
            var file = new FileStream(_paths.Data(upload), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 0, FileOptions.SequentialScan);
            file.Position = offset;
            return (Stream)new FileWindowStream(file, count);
        });

    public ValueTask DeleteAsync(UploadRecord upload, CancellationToken cancellationToken) =>
        Guard(() =>
        {
            var directory = _paths.Directory(upload);
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

        });

    /// <summary>
    /// Creates nothing but the root (once): a probe file would be left behind whenever the disk is full,
    /// and a full disk is no reason to stop serving the committed bytes (writes answer 507 meanwhile).
    /// </summary>
    public IReadOnlyDictionary<string, string> Describe(UploadRecord upload) =>
        new Dictionary<string, string> { ["Type"] = "filestore", ["Path"] = _paths.Data(upload) };

    public ValueTask<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(_paths.Root);
            return ValueTask.FromResult(UnixFiles.CanCreateFilesIn(_paths.Root));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ValueTask.FromResult(false);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An orphaned chunk file is reclaimed later; the original failure is what matters here.
        }
    }

    private static StoreUnavailableException Unavailable(string message, Exception e) =>
        new(message, e) { OutOfSpace = UnixFiles.IsOutOfSpace(e) };

    private static ValueTask Guard(Action action)
    {
        try
        {
            action();
            return ValueTask.CompletedTask;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ValueTask.FromException(Unavailable("The file store failed: " + e.Message, e));
        }
    }

    private static ValueTask<T> Guard<T>(Func<T> action)
    {
        try
        {
            return ValueTask.FromResult(action());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ValueTask.FromException<T>(Unavailable("The file store failed: " + e.Message, e));
        }
    }
}
