using System.IO.Pipelines;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using TusCluster.Protocol.Checksums;
using TusCluster.Protocol.Engine.Writing;

namespace TusCluster.Protocol.Tests.Engine.Writing;

public sealed class ChunkBodyStreamTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        for (var i = 0; i < count; i++)
        {
            bytes[i] = (byte)((i * 31) + 7);
        }

        return bytes;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, int bufferSize = 4096)
    {
        using var output = new MemoryStream();
        var buffer = new byte[bufferSize];
        int read;
        while ((read = await stream.ReadAsync(buffer, Token)) > 0)
        {
            output.Write(buffer, 0, read);
        }

        return output.ToArray();
    }

    [Fact]
    public async Task Reads_a_body_within_the_limit_and_counts_its_bytes()
    {
        var body = Bytes(10_000);
        using var stream = new ChunkBodyStream(PipeReader.Create(new MemoryStream(body)), 10_000, null, CancellationToken.None);

        var read = await ReadAllAsync(stream, 1024);

        Assert.Equal(body, read);
        Assert.Equal(10_000, stream.BytesRead);
        Assert.Equal(10_000, stream.Position);
        Assert.False(stream.Overflowed);
        Assert.False(stream.EndedEarly);
    }

    [Fact]
    public async Task Reads_a_body_shorter_than_the_limit()
    {
        var body = Bytes(300);
        using var stream = new ChunkBodyStream(PipeReader.Create(new MemoryStream(body)), 1_000_000, null, CancellationToken.None);
        using var copy = new MemoryStream();

        await stream.CopyToAsync(copy, Token);

        Assert.Equal(body, copy.ToArray());
        Assert.Equal(300, stream.BytesRead);
        Assert.False(stream.Overflowed);
        Assert.False(stream.EndedEarly);
    }

    [Fact]
    public async Task An_empty_body_with_a_zero_limit_is_fine()
    {
        using var stream = new ChunkBodyStream(PipeReader.Create(new MemoryStream()), 0, null, CancellationToken.None);

        Assert.Empty(await ReadAllAsync(stream));
        Assert.Equal(0, stream.BytesRead);
        Assert.False(stream.Overflowed);
        Assert.False(stream.EndedEarly);
    }

    [Fact]
    public async Task A_single_byte_over_a_zero_limit_overflows()
    {
        using var stream = new ChunkBodyStream(PipeReader.Create(new MemoryStream([42])), 0, null, CancellationToken.None);

        Assert.Empty(await ReadAllAsync(stream));
        Assert.True(stream.Overflowed);
        Assert.Equal(0, stream.BytesRead);
    }

    [Fact]
    public async Task A_body_longer_than_the_limit_overflows_and_ends()
    {
        using var source = new MemoryStream(Bytes(1001));
        using var stream = new ChunkBodyStream(PipeReader.Create(source), 1000, null, CancellationToken.None);

        var read = await ReadAllAsync(stream);

        Assert.True(stream.Overflowed);
        Assert.False(stream.EndedEarly);
        Assert.True(read.Length <= 1000);
        Assert.Equal(read.Length, stream.BytesRead);
        Assert.Equal(0, await stream.ReadAsync(new byte[16], Token));
    }

    [Fact]
    public async Task A_body_longer_than_the_limit_arriving_in_small_pieces_overflows_after_the_limit()
    {
        // 125 pieces of 8 fill the limit exactly; the next byte is one too many.
        var body = Bytes(2000);
        using var stream = new ChunkBodyStream(PipeReader.Create(new TrickleStream(body, 8)), 1000, null, CancellationToken.None);

        var read = await ReadAllAsync(stream);

        Assert.True(stream.Overflowed);
        Assert.False(stream.EndedEarly);
        Assert.Equal(1000, stream.BytesRead);
        Assert.Equal(body[..1000], read);
    }

    [Fact]
    public async Task A_piece_that_crosses_the_limit_overflows_without_returning_any_of_it()
    {
        // Pieces of 7: 142 fit (994 bytes), the 143rd would cross 1000.
        var body = Bytes(2000);
        using var stream = new ChunkBodyStream(PipeReader.Create(new TrickleStream(body, 7)), 1000, null, CancellationToken.None);

        var read = await ReadAllAsync(stream);

        Assert.True(stream.Overflowed);
        Assert.Equal(994, stream.BytesRead);
        Assert.Equal(body[..994], read);
    }

    [Fact]
    public async Task A_body_of_exactly_the_limit_in_buffer_sized_reads_does_not_overflow()
    {
        var body = Bytes(4096);
        using var stream = new ChunkBodyStream(PipeReader.Create(new MemoryStream(body)), 4096, null, CancellationToken.None);

        var read = await ReadAllAsync(stream, 4096);

        Assert.Equal(body, read);
        Assert.False(stream.Overflowed);
        Assert.Equal(4096, stream.BytesRead);
    }

    [Fact]
    public async Task A_source_that_throws_IOException_midway_ends_early_without_stopping()
    {
        var before = Bytes(10);
        var source = new ThrowingStream(before, new IOException("connection reset"));
        using var stream = new ChunkBodyStream(PipeReader.Create(source), 1000, null, CancellationToken.None);

        var read = await ReadAllAsync(stream);

        Assert.Equal(before, read);
        Assert.Equal(10, stream.BytesRead);
        Assert.True(stream.EndedEarly);
        Assert.False(stream.Overflowed);
    }

    [Fact]
    public async Task After_ending_early_the_source_is_not_read_again()
    {
        var source = new ThrowingStream(Bytes(3), new IOException("connection reset"));
        using var stream = new ChunkBodyStream(PipeReader.Create(source), 1000, null, CancellationToken.None);
        await ReadAllAsync(stream);
        var calls = source.ReadCalls;

        Assert.Equal(0, await stream.ReadAsync(new byte[16], Token));
        Assert.Equal(calls, source.ReadCalls);
    }

    [Fact]
    public async Task A_source_that_throws_BadHttpRequestException_ends_early_without_stopping()
    {
        var source = new ThrowingStream(Bytes(5), new BadHttpRequestException("minimum data rate"));
        using var stream = new ChunkBodyStream(PipeReader.Create(source), 1000, null, CancellationToken.None);

        await ReadAllAsync(stream);

        Assert.Equal(5, stream.BytesRead);
        Assert.True(stream.EndedEarly);
    }

    [Fact]
    public async Task A_source_cancelled_by_something_other_than_the_stop_token_ends_early_without_stopping()
    {
        // E.g. RequestAborted: the client went away, the writer was not asked to stop.
        using var stop = new CancellationTokenSource();
        var source = new ThrowingStream(Bytes(5), new OperationCanceledException("request aborted"));
        using var stream = new ChunkBodyStream(PipeReader.Create(source), 1000, null, stop.Token);

        await ReadAllAsync(stream);

        Assert.True(stream.EndedEarly);
    }

    [Fact]
    public async Task Other_exceptions_of_the_source_propagate()
    {
        var source = new ThrowingStream([], new InvalidOperationException("bug"));
        using var stream = new ChunkBodyStream(PipeReader.Create(source), 1000, null, CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => ReadAllAsync(stream));
        Assert.False(stream.EndedEarly);
    }

    [Fact]
    public async Task A_stop_token_cancelled_before_reading_stops_without_touching_the_source()
    {
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();
        using var source = new MemoryStream(Bytes(100));
        using var stream = new ChunkBodyStream(PipeReader.Create(source), 1000, null, stop.Token);

        Assert.Equal(0, await stream.ReadAsync(new byte[16], Token));

        Assert.True(stream.EndedEarly);
        Assert.False(stream.Overflowed);
        Assert.Equal(0, stream.BytesRead);
        Assert.Equal(0, source.Position);
    }

    [Fact]
    public async Task A_stop_token_cancelled_between_reads_stops_and_keeps_what_arrived()
    {
        using var stop = new CancellationTokenSource();
        using var stream = new ChunkBodyStream(PipeReader.Create(new MemoryStream(Bytes(100))), 1000, null, stop.Token);
        var buffer = new byte[40];

        Assert.Equal(40, await stream.ReadAsync(buffer, Token));
        await stop.CancelAsync();

        Assert.Equal(0, await stream.ReadAsync(buffer, Token));
        Assert.True(stream.EndedEarly);
        Assert.Equal(40, stream.BytesRead);
    }

    [Fact]
    public async Task A_stop_token_cancelled_while_the_source_is_reading_stops()
    {
        using var stop = new CancellationTokenSource();
        var source = new CancellingStream(Bytes(8), stop);
        using var stream = new ChunkBodyStream(PipeReader.Create(source), 1000, null, stop.Token);

        var read = await ReadAllAsync(stream);

        Assert.Equal(8, read.Length);
        Assert.True(stream.EndedEarly);
        Assert.Equal(8, stream.BytesRead);
    }

    [Fact]
    public async Task An_empty_buffer_reads_nothing_and_does_not_end_the_stream()
    {
        var body = Bytes(10);
        using var stream = new ChunkBodyStream(PipeReader.Create(new MemoryStream(body)), 10, null, CancellationToken.None);

        Assert.Equal(0, await stream.ReadAsync(Memory<byte>.Empty, Token));

        Assert.Equal(body, await ReadAllAsync(stream));
        Assert.False(stream.EndedEarly);
    }

    [Fact]
    public async Task Hashes_see_exactly_the_bytes_returned()
    {
        var body = Bytes(5000);
        using var hashes = new ChunkHashes(ChecksumAlgorithm.All);
        using var stream = new ChunkBodyStream(PipeReader.Create(new TrickleStream(body, 333)), 10_000, hashes, CancellationToken.None);

        var read = await ReadAllAsync(stream, 1000);

        Assert.Equal(body, read);
        AssertHashesMatch(hashes, read);
    }

    [Fact]
    public async Task Hashes_see_only_the_bytes_returned_before_an_overflow()
    {
        var body = Bytes(2000);
        using var hashes = new ChunkHashes([ChecksumAlgorithm.Sha256]);
        using var stream = new ChunkBodyStream(PipeReader.Create(new TrickleStream(body, 100)), 1000, hashes, CancellationToken.None);

        var read = await ReadAllAsync(stream);

        Assert.True(stream.Overflowed);
        Assert.Equal(1000, read.Length);
        Assert.True(hashes.Matches(new UploadChecksum(ChecksumAlgorithm.Sha256, SHA256.HashData(read))));
        Assert.False(hashes.Matches(new UploadChecksum(ChecksumAlgorithm.Sha256, SHA256.HashData(body[..1001]))));
    }

    [Fact]
    public async Task Hashes_see_only_the_bytes_returned_before_the_client_went_away()
    {
        var before = Bytes(77);
        using var hashes = new ChunkHashes(ChecksumAlgorithm.All);
        using var stream = new ChunkBodyStream(PipeReader.Create(new ThrowingStream(before, new IOException("reset"))), 1000, hashes, CancellationToken.None);

        var read = await ReadAllAsync(stream, 10);

        Assert.Equal(before, read);
        AssertHashesMatch(hashes, before);
    }

    [Fact]
    public void Synchronous_reads_are_not_supported()
    {
        using var stream = new ChunkBodyStream(PipeReader.Create(new MemoryStream(Bytes(10))), 10, null, CancellationToken.None);

        Assert.Throws<NotSupportedException>(() => stream.Read(new byte[4], 0, 4));
    }

    [Fact]
    public void Is_a_forward_only_read_stream()
    {
        using var stream = new ChunkBodyStream(PipeReader.Create(new MemoryStream()), 10, null, CancellationToken.None);

        Assert.True(stream.CanRead);
        Assert.False(stream.CanSeek);
        Assert.False(stream.CanWrite);
        Assert.Throws<NotSupportedException>(() => stream.Length);
        Assert.Throws<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => stream.Write([1], 0, 1));
    }

    [Fact]
    public async Task A_stop_while_a_read_is_pending_leaves_the_reader_ready_for_the_server_to_drain()
    {
        // Kestrel reads the unread rest of a body after the answer; a body read cancelled through its
        // token left its reader "reading", and that drain failed (issue 12, item 8).
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Bytes(10), Token);
        using var stop = new CancellationTokenSource();
        using var stream = new ChunkBodyStream(pipe.Reader, 1000, null, stop.Token);
        var buffer = new byte[100];
        Assert.Equal(10, await stream.ReadAsync(buffer, Token));

        var pending = stream.ReadAsync(buffer, Token).AsTask();
        await stop.CancelAsync();

        Assert.Equal(0, await pending);
        Assert.True(stream.EndedEarly);
        await pipe.Writer.WriteAsync(Bytes(5), Token);
        var rest = await pipe.Reader.ReadAsync(Token);
        Assert.Equal(5, rest.Buffer.Length);
        Assert.False(rest.IsCanceled);
    }

    [Fact]
    public async Task A_stop_after_the_body_ended_does_not_cancel_a_later_read()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Bytes(10), Token);
        using var stop = new CancellationTokenSource();
        var stream = new ChunkBodyStream(pipe.Reader, 10, null, stop.Token);
        Assert.Equal(10, await stream.ReadAsync(new byte[100], Token));
        await pipe.Writer.WriteAsync(Bytes(1), Token);
        Assert.Equal(0, await stream.ReadAsync(new byte[100], Token));
        Assert.True(stream.Overflowed);

        await stream.DisposeAsync();
        await stop.CancelAsync();

        var next = await pipe.Reader.ReadAsync(Token);
        Assert.False(next.IsCanceled);
    }

    [Fact]
    public async Task A_body_whose_framing_breaks_ends_early_with_the_reason()
    {
        var source = new ThrowingStream(Bytes(7), new BadHttpRequestException("Bad chunk size data.", StatusCodes.Status400BadRequest));
        using var stream = new ChunkBodyStream(PipeReader.Create(source), 1000, null, CancellationToken.None);

        var read = await ReadAllAsync(stream);

        Assert.Equal(7, read.Length);
        Assert.True(stream.EndedEarly);
        Assert.Equal("Bad chunk size data.", stream.MalformedReason);
    }

    [Fact]
    public async Task A_body_below_the_minimum_data_rate_ends_early_without_being_malformed()
    {
        var source = new ThrowingStream(Bytes(7), new BadHttpRequestException("Reading the request body timed out due to data arriving too slowly.", StatusCodes.Status408RequestTimeout));
        using var stream = new ChunkBodyStream(PipeReader.Create(source), 1000, null, CancellationToken.None);

        await ReadAllAsync(stream);

        Assert.True(stream.EndedEarly);
        Assert.Null(stream.MalformedReason);
    }

    private static void AssertHashesMatch(ChunkHashes hashes, byte[] expected)
    {
        foreach (var algorithm in ChecksumAlgorithm.All)
        {
            var digest = CryptographicOperations.HashData(algorithm.HashName, expected);
            Assert.True(hashes.Matches(new UploadChecksum(algorithm, digest)), $"{algorithm} did not match");
        }
    }

    /// <summary>A read-only source that serves bytes from memory; subclasses decide what happens after.</summary>
    private abstract class FakeSourceStream(byte[] data, int maxPerRead) : Stream
    {
        private int _position;

        public int ReadCalls { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ReadCalls++;
            if (_position < data.Length)
            {
                var count = Math.Min(Math.Min(buffer.Length, maxPerRead), data.Length - _position);
                data.AsSpan(_position, count).CopyTo(buffer.Span);
                _position += count;
                return ValueTask.FromResult(count);
            }

            return AfterData(cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected abstract ValueTask<int> AfterData(CancellationToken cancellationToken);
    }

    /// <summary>Serves its bytes at most <c>maxPerRead</c> at a time, like a slow network, then ends normally.</summary>
    private sealed class TrickleStream(byte[] data, int maxPerRead) : FakeSourceStream(data, maxPerRead)
    {
        protected override ValueTask<int> AfterData(CancellationToken cancellationToken) => ValueTask.FromResult(0);
    }

    /// <summary>
    /// Stands in for a broken client connection: serves some bytes, then every read throws
    /// (as Kestrel does when the client resets the connection or stalls below the minimum data rate).
    /// </summary>
    private sealed class ThrowingStream(byte[] before, Exception error) : FakeSourceStream(before, int.MaxValue)
    {
        protected override ValueTask<int> AfterData(CancellationToken cancellationToken) => ValueTask.FromException<int>(error);
    }

    /// <summary>
    /// Stands in for a connection that is still waiting for bytes when the writer is asked to stop: after its
    /// bytes it cancels the stop source and honours the token it was given, as a real socket read does.
    /// </summary>
    private sealed class CancellingStream(byte[] before, CancellationTokenSource stop) : FakeSourceStream(before, int.MaxValue)
    {
        protected override async ValueTask<int> AfterData(CancellationToken cancellationToken)
        {
            await stop.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
            return 0;
        }
    }
}
