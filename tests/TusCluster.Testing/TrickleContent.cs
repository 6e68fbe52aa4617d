using System.Net;
using System.Net.Http.Headers;

namespace TusCluster.Testing;

/// <summary>A request body sent in small pieces with pauses, so that concurrent requests overlap.</summary>
public sealed class TrickleContent : HttpContent
{
    private readonly byte[] _data;
    private readonly int _pieceSize;

    public TrickleContent(byte[] data, int pieceSize)
    {
        _data = data;
        _pieceSize = pieceSize;
        Headers.ContentType = new MediaTypeHeaderValue(Tus.OctetStream);
        Headers.ContentLength = data.Length;
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (var offset = 0; offset < _data.Length; offset += _pieceSize)
        {
            await stream.WriteAsync(_data.AsMemory(offset, Math.Min(_pieceSize, _data.Length - offset)));
            await stream.FlushAsync();
            await Task.Delay(1);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _data.Length;
        return true;
    }
}
