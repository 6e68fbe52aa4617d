using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace TusCluster.Storage.FileSystem;

/// <summary>
/// Moves a committed chunk file into the data file without ever needing the chunk's size a second time
/// in free space: the first chunk becomes the data file by link(2); a later one is copied from its end,
/// piece by piece, and the chunk is truncated behind every few pieces, so the disk holds at most 4 MiB twice.
/// </summary>
/// <remarks>
/// A truncated chunk still says exactly what is left to move (its first <c>length</c> bytes belong at
/// <c>start</c>), so a settler that dies half-way leaves work any later settler finishes. Settlers of the
/// same chunk take turns under an exclusive flock on it: a truncation must never run behind another
/// settler's shorter one, since ftruncate would then extend the file with zeros that a later piece would
/// copy over committed bytes. The last settler empties the chunk before unlinking it, so one that waited
/// on the lock finds nothing left to do.
/// </remarks>
internal static class ChunkSettler
{
    private const int PieceSize = ChunkFiles.BufferSize;

    // The most the disk holds twice; also how often (with Fsync) data is flushed before the chunk shrinks.
    private const int TruncateStep = 4 * PieceSize;
    private static readonly TimeSpan LockRetryDelay = TimeSpan.FromMilliseconds(20);

    // A settler paused while holding the lock (SIGSTOP, a frozen node on a shared volume) must not hold
    // up the next one for ever: it gives up and the request is answered 503 with Retry-After.
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    public static async Task MoveAsync(string chunkPath, string dataPath, long start, bool fsync, CancellationToken cancellationToken)
    {
        // The first chunk needs no lock: link(2) either makes it the data file or finds one there, and
        // removing a name truncates nothing. Not locking it also keeps readers of data from meeting the lock.
        if (start == 0)
        {
            var linked = HardLink.TryCreate(chunkPath, dataPath);
            if (linked == HardLink.Result.SourceMissing)
            {
                return;
            }

            // Created, or linked earlier by a settler that died before it removed the chunk's name.
            if (linked == HardLink.Result.Created || UnixFiles.AreSameFile(chunkPath, dataPath))
            {
                File.Delete(chunkPath);
                return;
            }
        }

        // From here the chunk is never the data file: data exists, and link(2) never replaces it.
        using var chunk = await OpenLockedAsync(chunkPath, cancellationToken);
        if (chunk is null)
        {
            return;
        }

        using (var data = File.OpenHandle(dataPath, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite))
        {
            CopyFromTheEnd(chunk, data, start, fsync);
        }

        File.Delete(chunkPath);
    }

    private static void CopyFromTheEnd(SafeFileHandle chunk, SafeFileHandle data, long start, bool fsync)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(PieceSize);
        try
        {
            var remaining = RandomAccess.GetLength(chunk);
            var kept = remaining;
            while (remaining > 0)
            {
                var from = Math.Max(0, remaining - PieceSize);
                var piece = buffer.AsSpan(0, (int)(remaining - from));
                for (var read = 0; read < piece.Length;)
                {
                    var n = RandomAccess.Read(chunk, piece[read..], from + read);
                    read += n > 0 ? n : throw new IOException($"The chunk ended at {from + read} bytes, before the {remaining} it still had to move.");
                }

                RandomAccess.Write(data, piece, start + from);
                remaining = from;
                if (kept - remaining >= TruncateStep || remaining == 0)
                {
                    if (fsync)
                    {
                        // What the chunk stops holding must be durable in data first.
                        RandomAccess.FlushToDisk(data);
                    }

                    RandomAccess.SetLength(chunk, remaining);
                    kept = remaining;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The chunk opened and exclusively locked, or null when it is gone (settled by someone else).</summary>
    private static async Task<SafeFileHandle?> OpenLockedAsync(string chunkPath, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            SafeFileHandle? handle = null;
            try
            {
                handle = File.OpenHandle(chunkPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
                if (UnixFiles.TryLockExclusive(handle))
                {
                    return handle;
                }
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }
            catch (IOException e) when (UnixFiles.IsLockedByOther(e))
            {
                // .NET's own shared lock on open met another settler's exclusive one.
            }
            catch
            {
                handle?.Dispose();
                throw;
            }

            handle?.Dispose();
            if (DateTime.UtcNow > deadline)
            {
                throw new IOException($"Another settler has held '{chunkPath}' for more than {LockTimeout.TotalSeconds} s.");
            }

            await Task.Delay(LockRetryDelay, cancellationToken);
        }
    }
}
