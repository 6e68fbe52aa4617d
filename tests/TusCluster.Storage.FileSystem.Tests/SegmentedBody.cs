using System.Buffers;
using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.FileSystem.Tests;

/// <summary>
/// A request body as the engine hands it over: bytes in many small buffers, read as segments. Reading it as
/// a stream fails, so a test sees whether the store took the segment path. Reads take their sizes from
/// <paramref name="readSizes"/> in turn.
/// </summary>
internal sealed class SegmentedBody(byte[] data, int segmentSize, params int[] readSizes) : ReadOnlyStream, IChunkSegments
{
    private int _reads;
    private int _position;
    private int _pending = -1;

    public long Consumed { get; private set; }

    public int LongestRead { get; private set; }

    public ValueTask<ReadOnlySequence<byte>> ReadSegmentsAsync(CancellationToken cancellationToken)
    {
        Assert.Equal(-1, _pending);
        var length = Math.Min(readSizes[_reads++ % readSizes.Length], data.Length - _position);
        _pending = length;
        if (length == 0)
        {
            return ValueTask.FromResult(ReadOnlySequence<byte>.Empty);
        }

        LongestRead = Math.Max(LongestRead, length);
        Segment? first = null;
        Segment? last = null;
        for (var offset = _position; offset < _position + length; offset += segmentSize)
        {
            // Each segment in an array of its own, as pipe buffers are.
            var piece = data.AsSpan(offset, Math.Min(segmentSize, _position + length - offset)).ToArray();
            last = last is null ? first = new Segment(piece, 0) : last.Append(piece);
        }

        return ValueTask.FromResult(new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length));
    }

    public void Consume(long count)
    {
        Assert.InRange(count, 0, _pending);
        _position += (int)count;
        Consumed += count;
        _pending = -1;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("The store read the body as a stream, not as segments.");

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new InvalidOperationException("The store read the body as a stream, not as segments.");

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes, long runningIndex)
        {
            Memory = bytes;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
