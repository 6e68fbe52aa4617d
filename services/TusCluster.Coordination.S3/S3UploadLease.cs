using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.S3;

/// <summary>
/// A lease on one upload. It keeps the document and ETag it last wrote; every change (renewal, commit, release,
/// removal) is a PUT with If-Match on that ETag. A 412 (or RGW's 500 to the loser of a race) means someone else
/// wrote the document (a deliverer, the expiry index's re-indexing, or a new holder): it is read again, and the
/// change is applied again only while the lease still holds this fence. Renewed every third of the TTL by the kit's <see cref="LeaseKeepAlive"/>.
/// </summary>
internal sealed partial class S3UploadLease : FencedUploadLease
{
    /// <summary>Writers that came first, in a row, before a change gives up with a 503.</summary>
    private const int MaxConflicts = 8;

    private readonly S3UploadCoordination _owner;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _key;
    private UploadDocument _document;
    private string _etag;

    public S3UploadLease(S3UploadCoordination owner, string uploadId, UploadDocument document, string etag, long acquireSentAt)
        : base(uploadId, document.Lease!.Token, document.Record, owner.Options.LeaseTtl, acquireSentAt)
    {
        _owner = owner;
        _document = document;
        _etag = etag;
        _key = owner.Keys.Upload(uploadId);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the document by a conditional PUT, reading and applying it again after
    /// another writer came first. False when the document no longer holds this lease (nothing was written).
    /// </summary>
    private async Task<bool> WriteAsync(Func<UploadDocument, CancellationToken, Task<UploadDocument>> change, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                if (!_document.IsHeldBy(FencingToken))
                {
                    return false;
                }

                var next = await change(_document, cancellationToken);
                if (await _owner.Objects.WriteOrLoseAsync(_key, next, _etag) is { } etag)
                {
                    (_document, _etag) = (next, etag);
                    return true;
                }

                if (attempt == MaxConflicts)
                {
                    throw new CoordinationUnavailableException($"The S3 document of upload {UploadId} changed under {MaxConflicts} writes in a row.");
                }

                var (current, currentEtag) = await _owner.ReadAsync(UploadId, CancellationToken.None);
                if (current is null || currentEtag is null)
                {
                    return false;
                }

                (_document, _etag) = (current, currentEtag);
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
