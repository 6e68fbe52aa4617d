using System.Buffers;
using System.Net;
using System.Net.Http.Headers;

namespace TusCluster.LoadDriver.Scenarios;

/// <summary>
/// A request body that generates bytes [offset, offset + count) of an upload as it is sent, so a
/// large chunk never sits in memory. With <see cref="InterruptAfter"/> it stops mid-body and throws,
/// which makes HttpClient abandon the connection: a client that lost its network mid-chunk.
/// </summary>
internal sealed class SourceContent : HttpContent
{
    public const string OctetStream = "application/offset+octet-stream";

    private readonly UploadSource _source;
    private readonly long _offset;
    private readonly long _count;

    public SourceContent(UploadSource source, long offset, long count)
    {
        _source = source;
        _offset = offset;
        _count = count;
        Headers.ContentType = new MediaTypeHeaderValue(OctetStream);
        Headers.ContentLength = count;
    }

    /// <summary>Bytes to send before abandoning the request; null sends everything.</summary>
    public long? InterruptAfter { get; init; }

    /// <summary>True once the body was cut off on purpose.</summary>
    public bool Interrupted { get; private set; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var limit = Math.Min(_count, InterruptAfter ?? long.MaxValue);
        var buffer = ArrayPool<byte>.Shared.Rent(UploadSource.BufferSize);
        try
        {
            for (long sent = 0; sent < limit;)
            {
                var piece = (int)Math.Min(UploadSource.BufferSize, limit - sent);
                _source.Fill(_offset + sent, buffer.AsSpan(0, piece));
                _source.Observe(_offset + sent, buffer.AsSpan(0, piece));
                await stream.WriteAsync(buffer.AsMemory(0, piece), cancellationToken);
                sent += piece;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (InterruptAfter is not null && limit < _count)
        {
            // Let the bytes reach the server before the connection goes, as they would have before a real cut.
            await stream.FlushAsync(cancellationToken);
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            Interrupted = true;
            throw new IOException("Connection abandoned mid-chunk on purpose (resume scenario).");
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _count;
        return true;
    }
}
