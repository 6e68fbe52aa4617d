using TusCluster.Protocol.Coordination;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Storage.FileSystem;

/// <summary>
/// Uploads as files. A writer streams its chunk into <c>&lt;fence&gt;.chunk</c>; once the offset is
/// committed the chunk is moved into <c>data</c> by a hard link (first chunk) or a positional copy.
/// Both only ever put committed bytes where they belong, so any holder may repeat them and a stale
/// writer can never overwrite what another replica committed.
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

    public async ValueTask<StagedChunk> StageAsync(UploadRecord upload, IUploadLease lease, Stream chunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var fence = lease.FencingToken;
        var path = _paths.Chunk(upload, fence);
        try
        {
            var length = await ChunkFiles.WriteNewAsync(path, chunk, _fsync, cancellationToken);
            return length == 0
                ? new StagedChunk(0, upload.StoreState)
                : new StagedChunk(length, new PendingChunk(fence, upload.Offset, length).Format());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            // Nothing staged by a failed write is ever committed; leave no half-written file behind.
            TryDelete(path);
            throw e is OperationCanceledException ? e : new StoreUnavailableException($"Could not stage a chunk of upload {upload.Id}.", e);
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

    public ValueTask SettleAsync(UploadRecord committed, CancellationToken cancellationToken) =>
        Guard(() =>
        {
            if (PendingChunk.Parse(committed.StoreState) is { } pending)
            {
                MoveIntoData(committed, pending);
            }

        });

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
                    long position = 0;
                    foreach (var partial in partials)
                    {
                        using var source = File.OpenHandle(_paths.Data(partial), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                        position += ChunkFiles.CopyInto(source, target, position);
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

    public ValueTask<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(_paths.Root);
            var probe = Path.Combine(_paths.Root, $".probe-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, [1]);
            File.Delete(probe);
            return ValueTask.FromResult(true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ValueTask.FromResult(false);
        }
    }

    private void MoveIntoData(UploadRecord upload, PendingChunk pending)
    {
        var chunk = _paths.Chunk(upload, pending.Fence);
        var data = _paths.Data(upload);

        // Nearly always the writer that committed the chunk moved it already: one stat settles that
        // case, which every PATCH of a chunked upload goes through first.
        if (!File.Exists(chunk))
        {
            return;
        }

        if (pending.Start == 0 && HardLink.TryCreate(chunk, data) != HardLink.Result.TargetExists)
        {
            File.Delete(chunk);
            return;
        }

        try
        {
            ChunkFiles.CopyInto(chunk, data, pending.Start, _fsync);
        }
        catch (FileNotFoundException)
        {
            // Moved meanwhile by another settler: the chunk file is removed only after the move.
            return;
        }

        File.Delete(chunk);
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

    private static ValueTask Guard(Action action)
    {
        try
        {
            action();
            return ValueTask.CompletedTask;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ValueTask.FromException(new StoreUnavailableException("The file store failed: " + e.Message, e));
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
            return ValueTask.FromException<T>(new StoreUnavailableException("The file store failed: " + e.Message, e));
        }
    }
}
