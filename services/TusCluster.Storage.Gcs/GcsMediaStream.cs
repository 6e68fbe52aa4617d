using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.Gcs;

/// <summary>An object's bytes as they arrive; disposing releases the HTTP response.</summary>
internal sealed class GcsMediaStream(HttpResponseMessage response, Stream content) : ReadOnlyStream
{
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => content.ReadAsync(buffer, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => content.Read(buffer, offset, count);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            content.Dispose();
            response.Dispose();
        }

        base.Dispose(disposing);
    }
}
