using System.Buffers;
using Microsoft.Win32.SafeHandles;
using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.FileSystem;

/// <summary>Low-level file work of the store: streaming a body into a file, and positional copies.</summary>
internal static class ChunkFiles
{
    public const int BufferSize = 1024 * 1024;

    /// <summary>
    /// Streams <paramref name="source"/> into a new file; no file is created for an empty source. The
    /// engine's request body is written straight from the pipe's buffers, any other stream through one
    /// buffer of its own.
    /// </summary>
    public static async Task<long> WriteNewAsync(string path, Stream source, bool fsync, CancellationToken cancellationToken)
    {
        if (source is IChunkSegments segments)
        {
            return await WriteNewAsync(path, segments, fsync, cancellationToken);
        }

        using var buffered = new StreamChunkSegments(source, BufferSize);
        return await WriteNewAsync(path, buffered, fsync, cancellationToken);
    }

    /// <summary>
    /// Writes the segments as they arrive (<see cref="ChunkFileWriter"/>: large reads from the pipe's own
    /// buffers with pwritev, small ones gathered), taking each from the source once it is in the writer.
    /// </summary>
    public static async Task<long> WriteNewAsync(string path, IChunkSegments source, bool fsync, CancellationToken cancellationToken)
    {
        var data = await source.ReadSegmentsAsync(cancellationToken);
        if (data.IsEmpty)
        {
            return 0;
        }

        // Chunk files are named by the writer's fence, so none exists yet: no truncate needed.
        using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        using var writer = new ChunkFileWriter(handle);
        while (!data.IsEmpty)
        {
            writer.Append(data);
            source.Consume(data.Length);
            data = await source.ReadSegmentsAsync(cancellationToken);
        }

        writer.Flush();
        if (fsync)
        {
            RandomAccess.FlushToDisk(handle);
        }

        return writer.Length;
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
}
