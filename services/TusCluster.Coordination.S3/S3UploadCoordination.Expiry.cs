using Amazon.S3.Model;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.S3;

/// <summary>
/// The expiry index: keys <c>expiry/{time}/{id}</c> listed in order. A key's time is at or before the expiry of
/// the record that refers to it, so the index never reports late; every candidate is checked against its
/// document, so a stale or early key costs a GET, never a wrong answer. Early keys (the expiry slid later) are
/// moved to the exact time here; keys no document refers to are deleted once they are old.
/// </summary>
internal sealed partial class S3UploadCoordination
{
    /// <summary>Documents read at the same time while checking candidates.</summary>
    private const int ReadParallelism = 16;

    /// <summary>
    /// A key is written before the document that refers to it, so a key without a referring document may belong to a
    /// commit still in flight; only keys older than this are taken as stale and deleted.
    /// </summary>
    internal static readonly TimeSpan StaleKeyAge = TimeSpan.FromMinutes(15);

    public async ValueTask<IReadOnlyList<ExpiryEntry>> ReadExpiredAsync(DateTimeOffset upTo, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        await EnsureBucketAsync(cancellationToken);
        var found = new List<ExpiryEntry>();
        var batch = new List<(S3Object Key, string UploadId)>();
        await foreach (var item in Objects.ListAllAsync(Keys.ExpiryPrefix, cancellationToken))
        {
            if (!Keys.TryParseExpiry(item.Key, out var uploadId, out var time))
            {
                continue;
            }

            // Keys come in time order and no record expires before its key: nothing further can come earlier.
            if (time > upTo || (found.Count >= limit && time > found[limit - 1].ExpiresAt))
            {
                break;
            }

            batch.Add((item, uploadId));
            if (batch.Count == ReadParallelism)
            {
                await CheckAsync(batch, upTo, found, cancellationToken);
                batch.Clear();
            }
        }

        await CheckAsync(batch, upTo, found, cancellationToken);
        return found.Count > limit ? found[..limit] : found;
    }

    /// <summary>Adds the candidates whose document refers to their key and has expired, keeping <paramref name="found"/> in order.</summary>
    private async Task CheckAsync(List<(S3Object Key, string UploadId)> batch, DateTimeOffset upTo, List<ExpiryEntry> found, CancellationToken cancellationToken)
    {
        var documents = await Task.WhenAll(batch.Select(candidate => ReadAsync(candidate.UploadId, cancellationToken)));
        for (var i = 0; i < batch.Count; i++)
        {
            var (key, uploadId) = batch[i];
            var (document, etag) = documents[i];
            var expiresAt = document?.Record?.ExpiresAt;

            // The record decides, whichever key led here (a re-indexing may have moved its key meanwhile).
            if (expiresAt <= upTo && !found.Exists(e => e.UploadId == uploadId))
            {
                found.Add(new ExpiryEntry(uploadId, expiresAt.Value));
            }

            if (document?.ExpiryKey != key.Key)
            {
                if (key.LastModified is { } written && DateTimeOffset.UtcNow - written > StaleKeyAge)
                {
                    Detach(token => Objects.DeleteAsync(key.Key, token));
                }
            }
            else if (expiresAt > upTo && etag is not null)
            {
                Detach(token => ReindexAsync(uploadId, document, etag, expiresAt.Value, token));
            }
        }

        found.Sort((a, b) => a.ExpiresAt != b.ExpiresAt ? a.ExpiresAt.CompareTo(b.ExpiresAt) : string.CompareOrdinal(a.UploadId, b.UploadId));
    }

    /// <summary>Moves an early key to the record's expiry: new key, then the document (If-Match), then the old key goes.</summary>
    private async Task ReindexAsync(string uploadId, UploadDocument document, string etag, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var exact = Keys.Expiry(uploadId, expiresAt);
        await Objects.PutMarkerAsync(exact, cancellationToken);
        if (await Objects.WriteAsync(Keys.Upload(uploadId), document with { ExpiryKey = exact }, etag) is not null)
        {
            await Objects.DeleteAsync(document.ExpiryKey!, cancellationToken);
        }
    }
}
