using System.Buffers;
using Microsoft.Win32.SafeHandles;
using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.FileSystem;

/// <summary>Low-level file work of the store: streaming a body into a file, and positional copies.</summary>
internal static class ChunkFiles
{
    public const int BufferSize = 1024 * 1024;

    // A pwritev takes at most IOV_MAX (1024) buffers; Kestrel's are 4 KiB, so this is 1 MiB a call.
    private const int MaxBuffersPerWrite = 256;

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
    /// Writes every segment that arrived at its offset in the file with one vectored positional write
    /// (pwritev), then takes it from the source: no copy between the socket's buffers and the page cache.
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
        List<ReadOnlyMemory<byte>>? buffers = null;
        long written = 0;
        while (!data.IsEmpty)
        {
            WriteAt(handle, data, written, ref buffers);
            written += data.Length;
            source.Consume(data.Length);
            data = await source.ReadSegmentsAsync(cancellationToken);
        }

        if (fsync)
        {
            RandomAccess.FlushToDisk(handle);
        }

        return written;
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

    /// <summary>Writes <paramref name="data"/> at <paramref name="position"/>: one pwrite for one segment, pwritev for more.</summary>
    private static void WriteAt(SafeFileHandle handle, ReadOnlySequence<byte> data, long position, ref List<ReadOnlyMemory<byte>>? buffers)
    {
        if (data.IsSingleSegment)
        {
            RandomAccess.Write(handle, data.FirstSpan, position);
            return;
        }

        // Made on the first body that spans buffers: a small upload's body fits in one and never needs it.
        buffers ??= new List<ReadOnlyMemory<byte>>(MaxBuffersPerWrite);
        buffers.Clear();
        long gathered = 0;
        foreach (var segment in data)
        {
            buffers.Add(segment);
            gathered += segment.Length;
            if (buffers.Count == MaxBuffersPerWrite)
            {
                RandomAccess.Write(handle, buffers, position);
                position += gathered;
                gathered = 0;
                buffers.Clear();
            }
        }

        if (buffers.Count > 0)
        {
            RandomAccess.Write(handle, buffers, position);
        }
    }
}
