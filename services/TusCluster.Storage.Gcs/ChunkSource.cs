using System.Runtime.ExceptionServices;
using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.Gcs;

/// <summary>
/// What a chunk object is written from: the committed tail chunk being merged (if any), the body's first
/// bytes (read before GCS is touched) and the rest of the body. Counts the body's bytes, and keeps a
/// failure of the body itself (a malformed request) so that it surfaces as it is, not as an upload failure.
/// </summary>
internal sealed class ChunkSource(Stream? tail, ReadOnlyMemory<byte> first, Stream body) : ReadOnlyStream
{
    private ReadOnlyMemory<byte> _first = first;
    private Stream? _tail = tail;

    public long BodyBytes { get; private set; } = first.Length;

    public ExceptionDispatchInfo? BodyFailure { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_tail is not null)
        {
            var fromTail = await _tail.ReadAsync(buffer, cancellationToken);
            if (fromTail > 0)
            {
                return fromTail;
            }

            _tail = null;
        }

        if (!_first.IsEmpty)
        {
            var count = Math.Min(buffer.Length, _first.Length);
            _first[..count].CopyTo(buffer);
            _first = _first[count..];
            return count;
        }

        try
        {
            var read = await body.ReadAsync(buffer, cancellationToken);
            BodyBytes += read;
            return read;
        }
        catch (Exception e)
        {
            BodyFailure = ExceptionDispatchInfo.Capture(e);
            throw;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
}
