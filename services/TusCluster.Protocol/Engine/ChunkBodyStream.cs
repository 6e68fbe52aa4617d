using Microsoft.AspNetCore.Http;
using TusCluster.Protocol.Checksums;

namespace TusCluster.Protocol.Engine;

/// <summary>
/// The request body as a store sees it: a plain stream that simply ends when the client goes away,
/// when the writer is asked to stop (hand-over, lease lost, shutdown) or when the chunk would pass the
/// upload's length. The reason is recorded here, so stores need no knowledge of HTTP or locks and
/// everything that arrived before the end can still be committed.
/// </summary>
internal sealed class ChunkBodyStream(Stream inner, long limit, ChunkHashes? hashes, CancellationToken stop) : Stream
{
    private bool _ended;

    public long BytesRead { get; private set; }

    /// <summary>The body held more bytes than <c>limit</c>; the chunk must be discarded.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>The body did not arrive whole (client gone, or the writer was asked to stop).</summary>
    public bool EndedEarly { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_ended || buffer.IsEmpty)
        {
            return 0;
        }

        if (stop.IsCancellationRequested)
        {
            return EndEarly();
        }

        // Ask for one byte more than may still come, so that a body longer than allowed is noticed.
        var allowed = limit - BytesRead;
        var window = allowed >= buffer.Length ? buffer : buffer[..(int)(allowed + 1)];
        int read;
        try
        {
            read = await inner.ReadAsync(window, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return EndEarly();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or BadHttpRequestException)
        {
            // The client disconnected, stalled below the minimum data rate or sent a broken body.
            return EndEarly();
        }

        if (read == 0)
        {
            _ended = true;
            return 0;
        }

        if (read > allowed)
        {
            Overflowed = true;
            _ended = true;
            return 0;
        }

        hashes?.Append(window.Span[..read]);
        BytesRead += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Kestrel forbids synchronous body reads; stores must read asynchronously.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int EndEarly()
    {
        _ended = true;
        EndedEarly = true;
        return 0;
    }
}
