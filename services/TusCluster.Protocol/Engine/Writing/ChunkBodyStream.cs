using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using TusCluster.Protocol.Checksums;
using TusCluster.Protocol.Storage;

namespace TusCluster.Protocol.Engine.Writing;

/// <summary>
/// The request body as a store sees it: a plain stream, or the pipe's own buffers (<see cref="IChunkSegments"/>), that simply ends when the client goes away,
/// when the writer is asked to stop (hand-over, lease lost, shutdown) or when the chunk would pass the
/// upload's length. The reason is recorded here, so stores need no knowledge of HTTP or locks and
/// everything that arrived before the end can still be committed.
/// </summary>
/// <remarks>
/// Reads the body's <see cref="PipeReader"/> and stops a pending read with
/// <see cref="PipeReader.CancelPendingRead"/>, never with a cancellation token: Kestrel's body reader
/// stays "reading" after a read cancelled through its token, and its automatic drain of the unread
/// body then fails with "Reading is already in progress".
/// </remarks>
internal sealed class ChunkBodyStream : ReadOnlyStream, IChunkSegments
{
    private readonly PipeReader _inner;
    private readonly long _limit;
    private readonly ChunkHashes? _hashes;
    private readonly CancellationToken _stop;
    private readonly CancellationTokenRegistration _stopRegistration;
    private ReadOnlySequence<byte>? _pending;
    private bool _ended;

    public ChunkBodyStream(PipeReader inner, long limit, ChunkHashes? hashes, CancellationToken stop)
    {
        _inner = inner;
        _limit = limit;
        _hashes = hashes;
        _stop = stop;
        _stopRegistration = stop.UnsafeRegister(static reader => ((PipeReader)reader!).CancelPendingRead(), inner);
    }

    public long BytesRead { get; private set; }

    /// <summary>The body held more bytes than <c>limit</c>; the chunk must be discarded.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>The body did not arrive whole (client gone, or the writer was asked to stop).</summary>
    public bool EndedEarly { get; private set; }

    /// <summary>Why the server refused the body's framing (e.g. a malformed chunk), or null.</summary>
    public string? MalformedReason { get; private set; }

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        var data = await ReadSegmentsAsync(cancellationToken);
        if (data.IsEmpty)
        {
            return 0;
        }

        var read = (int)Math.Min(data.Length, buffer.Length);
        data.Slice(0, read).CopyTo(buffer.Span);
        Consume(read);
        return read;
    }

    /// <inheritdoc />
    /// <remarks>The token is not passed on: a stop comes through the token given at construction (see the class remarks).</remarks>
    public async ValueTask<ReadOnlySequence<byte>> ReadSegmentsAsync(CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        if (_stop.IsCancellationRequested)
        {
            return EndEarly();
        }

        ReadResult result;
        while (true)
        {
            try
            {
                result = await _inner.ReadAsync(CancellationToken.None);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status400BadRequest)
            {
                // A broken frame, or the connection closed mid-body (then nobody hears the answer anyway).
                MalformedReason = e.Message;
                return EndEarly();
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or BadHttpRequestException)
            {
                // The client disconnected or stalled below the minimum data rate.
                return EndEarly();
            }

            if (result.IsCanceled)
            {
                // Asked to stop: whatever is pending stays unread.
                _inner.AdvanceTo(result.Buffer.Start);
                return EndEarly();
            }

            if (!result.Buffer.IsEmpty || result.IsCompleted)
            {
                break;
            }

            _inner.AdvanceTo(result.Buffer.End);
        }

        var data = result.Buffer;
        if (data.Length > _limit - BytesRead)
        {
            _inner.AdvanceTo(data.Start);
            Overflowed = true;
            return End();
        }

        if (data.IsEmpty)
        {
            _inner.AdvanceTo(data.End);
            return End();
        }

        _pending = data;
        return data;
    }

    /// <inheritdoc />
    public void Consume(long count)
    {
        var pending = _pending ?? throw new InvalidOperationException("Consume follows a read that returned bytes.");
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, pending.Length);
        var taken = pending.Slice(0, count);
        if (_hashes is not null)
        {
            foreach (var segment in taken)
            {
                _hashes.Append(segment.Span);
            }
        }

        BytesRead += count;
        _pending = null;

        // Everything examined when all was taken, so the next read waits for new bytes; otherwise the rest is returned at once.
        _inner.AdvanceTo(taken.End, count == pending.Length ? pending.End : taken.End);
    }

    // Kestrel forbids synchronous body reads; stores must read asynchronously.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stopRegistration.Dispose();

            // A store that failed between a read and its Consume: the pipe must not stay "reading", or
            // Kestrel's drain of the rest of the body fails.
            if (_pending is { } pending)
            {
                _pending = null;
                _inner.AdvanceTo(pending.Start);
            }
        }

        base.Dispose(disposing);
    }

    private ReadOnlySequence<byte> EndEarly()
    {
        EndedEarly = true;
        return End();
    }

    private ReadOnlySequence<byte> End()
    {
        // A stop that comes after the end must not cancel the server's own drain of the rest.
        _stopRegistration.Dispose();
        _ended = true;
        return ReadOnlySequence<byte>.Empty;
    }
}
