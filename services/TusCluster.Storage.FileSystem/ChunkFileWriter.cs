using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace TusCluster.Storage.FileSystem;

/// <summary>
/// Appends a chunk's bytes to its file in the order they arrive, from the request pipe's own buffers.
/// A large read (the writer fell behind the socket, so bytes piled up in the pipe) goes to the file where
/// it is, with one pwritev; a small one (the writer is ahead and gets the few KiB of one socket read) is
/// gathered first, since copying 4 KiB costs far less than a system call of its own, and a page cache
/// written 4 KiB at a time costs the kernel more per byte.
/// </summary>
internal sealed class ChunkFileWriter(SafeFileHandle file) : IDisposable
{
    /// <summary>Reads of at least this many bytes are written without a copy.</summary>
    public const int DirectWriteSize = 64 * 1024;

    private const int GatherSize = 256 * 1024;

    // A pwritev takes at most IOV_MAX (1024) buffers; Kestrel's are 4 KiB, so this is 1 MiB a call.
    private const int MaxBuffersPerWrite = 256;

    private byte[]? _gather;
    private int _gathered;
    private List<ReadOnlyMemory<byte>>? _buffers;

    /// <summary>Bytes appended so far, written or gathered.</summary>
    public long Length { get; private set; }

    public void Append(in ReadOnlySequence<byte> data)
    {
        if (data.Length < DirectWriteSize)
        {
            _gather ??= ArrayPool<byte>.Shared.Rent(GatherSize);
            if (_gathered + data.Length > _gather.Length)
            {
                Flush();
            }

            data.CopyTo(_gather.AsSpan(_gathered));
            _gathered += (int)data.Length;
        }
        else
        {
            Flush();
            WriteAt(data, Length);
        }

        Length += data.Length;
    }

    /// <summary>Writes what is gathered; the file then holds every byte appended.</summary>
    public void Flush()
    {
        if (_gathered > 0)
        {
            RandomAccess.Write(file, _gather.AsSpan(0, _gathered), Length - _gathered);
            _gathered = 0;
        }
    }

    public void Dispose()
    {
        if (_gather is { } gather)
        {
            _gather = null;
            ArrayPool<byte>.Shared.Return(gather);
        }
    }

    private void WriteAt(in ReadOnlySequence<byte> data, long position)
    {
        if (data.IsSingleSegment)
        {
            RandomAccess.Write(file, data.FirstSpan, position);
            return;
        }

        _buffers ??= new List<ReadOnlyMemory<byte>>(MaxBuffersPerWrite);
        _buffers.Clear();
        long pending = 0;
        foreach (var segment in data)
        {
            _buffers.Add(segment);
            pending += segment.Length;
            if (_buffers.Count == MaxBuffersPerWrite)
            {
                RandomAccess.Write(file, _buffers, position);
                position += pending;
                pending = 0;
                _buffers.Clear();
            }
        }

        if (_buffers.Count > 0)
        {
            RandomAccess.Write(file, _buffers, position);
        }
    }
}
