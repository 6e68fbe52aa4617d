using System.Runtime.CompilerServices;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Storage.S3;

/// <summary>
/// Lists the uploads the bucket holds bytes for under the key prefix, flat or date-partitioned (both
/// are recognised, so switching DatePartitioned leaves nothing unlisted): objects (final and
/// temporary) grouped by upload key, plus multipart uploads that have no object yet. A location is the
/// upload key, checked again before anything is deleted.
/// </summary>
internal sealed class S3UploadInventory(S3Bucket bucket) : IUploadInventory
{
    private readonly UploadDeleter _deleter = new(bucket);

    public async IAsyncEnumerable<StoredUpload> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Multipart uploads in progress are few (one per unfinished upload); objects may be many, so they
        // are streamed and grouped on the fly (the keys of one upload are adjacent in a listing).
        var multipart = new Dictionary<string, StoredUpload>(StringComparer.Ordinal);
        await foreach (var upload in S3Errors.GuardEach(_deleter.ListMultipartAsync(bucket.Keys.Prefix, cancellationToken), cancellationToken))
        {
            if (bucket.Keys.TryParse(upload.Key, out var key, out var id) && key == upload.Key)
            {
                var initiated = new DateTimeOffset(upload.Initiated ?? DateTime.UnixEpoch, TimeSpan.Zero);
                multipart[key] = multipart.TryGetValue(key, out var seen) && seen.LastModified > initiated ? seen : new StoredUpload(id, initiated, 0, key);
            }
        }

        StoredUpload? current = null;
        await foreach (var found in S3Errors.GuardEach(_deleter.ListObjectsAsync(bucket.Keys.Prefix, cancellationToken), cancellationToken))
        {
            if (!bucket.Keys.TryParse(found.Key, out var key, out var id))
            {
                continue;
            }

            var modified = new DateTimeOffset(found.LastModified ?? DateTime.UnixEpoch, TimeSpan.Zero);
            if (current is not null && current.Location != key)
            {
                yield return Merge(current, multipart);
                current = null;
            }

            current = current is null
                ? new StoredUpload(id, modified, found.Size ?? 0, key)
                : current with { LastModified = modified > current.LastModified ? modified : current.LastModified, Bytes = current.Bytes + (found.Size ?? 0) };
        }

        if (current is not null)
        {
            yield return Merge(current, multipart);
        }

        foreach (var onlyMultipart in multipart.Values)
        {
            yield return onlyMultipart;
        }
    }

    public ValueTask DeleteAsync(StoredUpload upload, CancellationToken cancellationToken)
    {
        if (!UploadId.IsValid(upload.UploadId) || !bucket.Keys.TryParse(upload.Location, out var key, out var id) || key != upload.Location || id != upload.UploadId)
        {
            throw new ArgumentException($"'{upload.Location}' is not an upload key of this store.", nameof(upload));
        }

        return S3Errors.GuardAsync("delete orphaned upload " + upload.UploadId, () => _deleter.DeleteAsync(key, null, cancellationToken), cancellationToken);
    }

    private static StoredUpload Merge(StoredUpload objects, Dictionary<string, StoredUpload> multipart)
    {
        if (!multipart.Remove(objects.Location, out var inProgress))
        {
            return objects;
        }

        return inProgress.LastModified > objects.LastModified ? objects with { LastModified = inProgress.LastModified } : objects;
    }
}
