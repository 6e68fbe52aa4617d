using System.Net;

namespace TusCluster.UploadService.Tests.Drafts;

/// <summary>Content that hides its length, so HttpClient sends it with chunked transfer coding.</summary>
internal sealed class ChunkedContent(HttpContent inner) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => inner.CopyToAsync(stream, context);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
