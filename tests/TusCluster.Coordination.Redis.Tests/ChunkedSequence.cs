using System.Buffers;

namespace TusCluster.Coordination.Redis.Tests;

/// <summary>Builds a multi-segment <see cref="ReadOnlySequence{T}"/>, as a pipe hands over bytes that arrived in pieces.</summary>
internal sealed class ChunkedSequence : ReadOnlySequenceSegment<byte>
{
    private ChunkedSequence(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Of(params byte[][] chunks)
    {
        var first = new ChunkedSequence(chunks[0], 0);
        var last = first;
        foreach (var chunk in chunks.Skip(1))
        {
            var next = new ChunkedSequence(chunk, last.RunningIndex + last.Memory.Length);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
