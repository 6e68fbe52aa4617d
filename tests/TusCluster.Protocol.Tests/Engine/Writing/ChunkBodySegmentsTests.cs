using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;
using TusCluster.Protocol.Checksums;
using TusCluster.Protocol.Engine.Writing;

namespace TusCluster.Protocol.Tests.Engine.Writing;

/// <summary>
/// The body read as the pipe's own buffers (IChunkSegments), the way the file store writes it: the
/// same limit, stop and checksum semantics as reading it as a stream.
/// </summary>
public sealed class ChunkBodySegmentsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    // Small pipe buffers, so that a body of a few KiB spans many of them.
    private static Pipe SmallBufferPipe() => new(new PipeOptions(minimumSegmentSize: 64));

    // The whole body already arrived: the writer is complete.
    private static async Task<PipeReader> ArrivedAsync(byte[] body)
    {
        var pipe = SmallBufferPipe();
        await pipe.Writer.WriteAsync(body, Token);
        await pipe.Writer.CompleteAsync();
        return pipe.Reader;
    }

    private static byte[] Bytes(int count, int seed = 1)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task A_body_across_many_pipe_buffers_arrives_whole_in_order_and_hashed()
    {
        var body = Bytes(10_000);
        using var hashes = new ChunkHashes(ChecksumAlgorithm.All);
        using var stream = new ChunkBodyStream(await ArrivedAsync(body), 10_000, hashes, CancellationToken.None);

        var data = await stream.ReadSegmentsAsync(Token);
        Assert.False(data.IsSingleSegment);
        var received = data.ToArray();
        stream.Consume(data.Length);
        Assert.True((await stream.ReadSegmentsAsync(Token)).IsEmpty);

        Assert.Equal(body, received);
        Assert.Equal(10_000, stream.BytesRead);
        Assert.False(stream.EndedEarly);
        Assert.False(stream.Overflowed);
        foreach (var algorithm in ChecksumAlgorithm.All)
        {
            Assert.True(hashes.Matches(new UploadChecksum(algorithm, CryptographicOperations.HashData(algorithm.HashName, body))), $"{algorithm}");
        }
    }

    [Fact]
    public async Task A_checksum_of_other_bytes_does_not_match_what_was_consumed()
    {
        var body = Bytes(5_000);
        using var hashes = new ChunkHashes([ChecksumAlgorithm.Sha1]);
        using var stream = new ChunkBodyStream(await ArrivedAsync(body), 10_000, hashes, CancellationToken.None);

        var data = await stream.ReadSegmentsAsync(Token);
        stream.Consume(data.Length);

        var other = (byte[])body.Clone();
        other[4_999] ^= 1;
        Assert.False(hashes.Matches(new UploadChecksum(ChecksumAlgorithm.Sha1, SHA1.HashData(other))));
        Assert.True(hashes.Matches(new UploadChecksum(ChecksumAlgorithm.Sha1, SHA1.HashData(body))));
    }

    [Fact]
    public async Task Taking_part_of_a_read_returns_the_rest_at_once_and_hashes_only_what_was_taken()
    {
        var body = Bytes(3_000);
        var pipe = SmallBufferPipe();
        await pipe.Writer.WriteAsync(body, Token);
        using var hashes = new ChunkHashes([ChecksumAlgorithm.Sha256]);
        using var stream = new ChunkBodyStream(pipe.Reader, 10_000, hashes, CancellationToken.None);

        var first = await stream.ReadSegmentsAsync(Token);
        Assert.Equal(3_000, first.Length);
        stream.Consume(1_000);

        // The writer is still open: only bytes already there can make this read complete.
        var rest = await stream.ReadSegmentsAsync(Token).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Token);
        Assert.Equal(body[1_000..], rest.ToArray());
        stream.Consume(0);
        Assert.Equal(1_000, stream.BytesRead);
        Assert.True(hashes.Matches(new UploadChecksum(ChecksumAlgorithm.Sha256, SHA256.HashData(body.AsSpan(0, 1_000)))));
    }

    [Fact]
    public async Task A_body_passing_the_limit_ends_with_overflow_and_its_excess_untaken()
    {
        var pipe = SmallBufferPipe();
        await pipe.Writer.WriteAsync(Bytes(800), Token);
        using var stream = new ChunkBodyStream(pipe.Reader, 1_000, null, CancellationToken.None);
        var first = await stream.ReadSegmentsAsync(Token);
        stream.Consume(first.Length);

        await pipe.Writer.WriteAsync(Bytes(300, seed: 2), Token);
        var next = await stream.ReadSegmentsAsync(Token);

        Assert.True(next.IsEmpty);
        Assert.True(stream.Overflowed);
        Assert.Equal(800, stream.BytesRead);
        var left = await pipe.Reader.ReadAsync(Token);
        Assert.Equal(300, left.Buffer.Length);
    }

    [Fact]
    public async Task A_stop_mid_body_ends_the_chunk_early_and_leaves_the_reader_drainable()
    {
        var pipe = SmallBufferPipe();
        await pipe.Writer.WriteAsync(Bytes(500), Token);
        using var stop = new CancellationTokenSource();
        using var stream = new ChunkBodyStream(pipe.Reader, 10_000, null, stop.Token);
        var first = await stream.ReadSegmentsAsync(Token);
        stream.Consume(first.Length);

        var pending = stream.ReadSegmentsAsync(Token).AsTask();
        await stop.CancelAsync();

        Assert.True((await pending).IsEmpty);
        Assert.True(stream.EndedEarly);
        Assert.Equal(500, stream.BytesRead);
        await pipe.Writer.WriteAsync(Bytes(5), Token);
        var rest = await pipe.Reader.ReadAsync(Token);
        Assert.False(rest.IsCanceled);
        Assert.Equal(5, rest.Buffer.Length);
    }

    [Fact]
    public async Task Disposing_after_a_read_that_was_not_taken_leaves_the_reader_drainable()
    {
        // A store that fails between a read and taking it (a full disk): Kestrel must still drain the body.
        var pipe = SmallBufferPipe();
        await pipe.Writer.WriteAsync(Bytes(700), Token);
        var stream = new ChunkBodyStream(pipe.Reader, 10_000, null, CancellationToken.None);
        Assert.Equal(700, (await stream.ReadSegmentsAsync(Token)).Length);

        await stream.DisposeAsync();

        var rest = await pipe.Reader.ReadAsync(Token);
        Assert.Equal(700, rest.Buffer.Length);
        pipe.Reader.AdvanceTo(rest.Buffer.End);
    }

    [Fact]
    public async Task Taking_more_than_was_read_or_without_a_read_is_refused()
    {
        var pipe = SmallBufferPipe();
        await pipe.Writer.WriteAsync(Bytes(100), Token);
        using var stream = new ChunkBodyStream(pipe.Reader, 10_000, null, CancellationToken.None);

        Assert.Throws<InvalidOperationException>(() => stream.Consume(0));
        var data = await stream.ReadSegmentsAsync(Token);
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Consume(data.Length + 1));
        stream.Consume(data.Length);
        Assert.Equal(100, stream.BytesRead);
    }
}
