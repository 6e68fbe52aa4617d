using Azure.Storage.Blobs.Models;
using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.Azure;

/// <summary>The body of a ranged download, streamed; disposing it ends the response.</summary>
internal sealed class AzureBlobStream(BlobDownloadStreamingResult result) : ReadOnlyStream
{
    private readonly Stream _body = result.Content;

    public override int Read(byte[] buffer, int offset, int count) => _body.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _body.ReadAsync(buffer, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body.Dispose();
            result.Dispose();
        }

        base.Dispose(disposing);
    }
}
