using System.Buffers;

namespace TusCluster.Protocol.Storage;

/// <summary>
/// A chunk read in the buffers its bytes arrived in (the request body's pipe), so that a store can hand
/// them to the disk or the network as they are instead of copying them into a buffer of its own first.
/// The stream the engine passes to <see cref="IUploadStore.StageAsync"/> implements it; any other stream
/// is read through <see cref="StreamChunkSegments"/>.
/// </summary>
/// <remarks>
/// Each <see cref="ReadSegmentsAsync"/> must be followed by one <see cref="Consume"/> before the next: the
/// sequence belongs to the reader until then. The chunk's end (the body ended, was cut short, or would pass
/// the upload's length) is an empty sequence, as a stream's end is a read of 0.
/// </remarks>
public interface IChunkSegments
{
    /// <summary>
    /// Waits for bytes and returns every one that has arrived and was not consumed yet, or an empty sequence
    /// at the end of the chunk. The memory stays valid until <see cref="Consume"/>.
    /// </summary>
    ValueTask<ReadOnlySequence<byte>> ReadSegmentsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Takes the first <paramref name="count"/> bytes of the last sequence read as part of the chunk (0 to
    /// take none); the rest is returned again by the next read.
    /// </summary>
    void Consume(long count);
}
