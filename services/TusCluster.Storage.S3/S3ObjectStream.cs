using Amazon.S3.Model;
using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.S3;

/// <summary>The body of a GET, streamed; disposing it ends the response.</summary>
internal sealed class S3ObjectStream(GetObjectResponse response) : ReadOnlyStream
{
    private readonly Stream _body = response.ResponseStream;

    public override int Read(byte[] buffer, int offset, int count) => _body.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _body.ReadAsync(buffer, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body.Dispose();
            response.Dispose();
        }

        base.Dispose(disposing);
    }
}
