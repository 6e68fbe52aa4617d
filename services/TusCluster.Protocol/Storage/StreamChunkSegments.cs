using System.Buffers;

namespace TusCluster.Protocol.Storage;

/// <summary>
/// Any stream as <see cref="IChunkSegments"/>, through one pooled buffer: for a chunk that does not come from
/// the engine (a test's <see cref="MemoryStream"/>), so a store needs only its segment-based write path.
/// Small reads are gathered until <paramref name="gatherAtLeast"/> bytes (or the end) so that what a store
/// writes from them stays large.
/// </summary>
public sealed class StreamChunkSegments(Stream source, int bufferSize = 1024 * 1024, int gatherAtLeast = 256 * 1024) : IChunkSegments, IDisposable
{
    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
    private int _start;
    private int _end;

    public async ValueTask<ReadOnlySequence<byte>> ReadSegmentsAsync(CancellationToken cancellationToken)
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(StreamChunkSegments));
        if (_start == _end)
        {
            _start = 0;
            _end = 0;
            while (_end < Math.Min(gatherAtLeast, buffer.Length))
            {
                var read = await source.ReadAsync(buffer.AsMemory(_end), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                _end += read;
            }
        }

        return new ReadOnlySequence<byte>(buffer, _start, _end - _start);
    }

    public void Consume(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _end - _start);
        _start += (int)count;
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
