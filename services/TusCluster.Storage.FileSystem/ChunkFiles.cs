using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace TusCluster.Storage.FileSystem;

/// <summary>Low-level file work of the store: streaming a body into a file, and positional copies.</summary>
internal static class ChunkFiles
{
    public const int BufferSize = 1024 * 1024;

    // Small reads from the socket are gathered so that the disk sees large writes.
    private const int MinWriteSize = 256 * 1024;

    /// <summary>Streams <paramref name="source"/> into a new file; no file is created for an empty source.</summary>
    public static async Task<long> WriteNewAsync(string path, Stream source, bool fsync, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var filled = await FillAsync(source, buffer, cancellationToken);
            if (filled == 0)
            {
                return 0;
            }

            // Chunk files are named by the writer's fence, so none exists yet: no truncate needed.
            using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            long written = 0;
            while (filled > 0)
            {
                RandomAccess.Write(handle, buffer.AsSpan(0, filled), written);
                written += filled;
                filled = await FillAsync(source, buffer, cancellationToken);
            }

            if (fsync)
            {
                RandomAccess.FlushToDisk(handle);
            }

            return written;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Writes <paramref name="source"/> from <paramref name="from"/> to its end into <paramref name="target"/> at
    /// <paramref name="position"/>; returns the bytes copied. Positional, so repeating it writes the same bytes to the same place.
    /// </summary>
    public static long CopyInto(SafeFileHandle source, long from, SafeFileHandle target, long position)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long copied = 0;
            int read;
            while ((read = RandomAccess.Read(source, buffer, from + copied)) > 0)
            {
                RandomAccess.Write(target, buffer.AsSpan(0, read), position + copied);
                copied += read;
            }

            return copied;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async ValueTask<int> FillAsync(Stream source, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < MinWriteSize)
        {
            var read = await source.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }
}
