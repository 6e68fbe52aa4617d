using System.Runtime.CompilerServices;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Storage.Gcs;

/// <summary>
/// Lists the uploads the bucket holds objects for under the prefix, flat or date-partitioned (both are
/// recognised, so switching DatePartitioned leaves nothing unlisted): final objects, chunks and compose
/// intermediates grouped by final name, which is the location (checked again before anything is deleted).
/// </summary>
internal sealed class GcsUploadInventory(GcsBucket bucket) : IUploadInventory
{
    private readonly UploadObjectsDeleter _deleter = new(bucket);

    public async IAsyncEnumerable<StoredUpload> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The objects of one upload are adjacent in a listing (names sort by final name first).
        StoredUpload? current = null;
        await foreach (var found in GcsErrors.GuardEach(bucket.ListAsync(bucket.Names.Prefix, cancellationToken), cancellationToken))
        {
            if (!bucket.Names.TryParse(found.Name, out var final, out var id))
            {
                continue;
            }

            var modified = found.UpdatedDateTimeOffset ?? DateTimeOffset.UnixEpoch;
            var size = (long)(found.Size ?? 0);
            var staged = found.Name.Length > final.Length ? size : 0;
            if (current is not null && current.Location != final)
            {
                yield return current;
                current = null;
            }

            current = current is null
                ? new StoredUpload(id, modified, size, final, staged)
                : current with
                {
                    LastModified = modified > current.LastModified ? modified : current.LastModified,
                    Bytes = current.Bytes + size,
                    StagedBytes = current.StagedBytes + staged,
                };
        }

        if (current is not null)
        {
            yield return current;
        }
    }

    public ValueTask DeleteAsync(StoredUpload upload, CancellationToken cancellationToken) =>
        GcsErrors.GuardAsync("delete orphaned upload " + upload.UploadId, () => _deleter.DeleteAllAsync(Location(upload), cancellationToken), cancellationToken);

    public ValueTask<long> RemoveAbandonedStagingAsync(StoredUpload upload, IUploadLease lease, CancellationToken cancellationToken) =>
        GcsErrors.GuardAsync(
            "remove abandoned chunks of upload " + upload.UploadId,
            async () =>
            {
                // Chunks the record names are committed; any other chunk staged under an older fence belongs to
                // a writer that can never commit again. Newer fences (impossible while we hold the lease) are kept.
                var final = Location(upload);
                var committed = GcsUploadState.Parse(lease.Record?.StoreState).Chunks.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
                var abandoned = new List<ChunkObject>();
                await foreach (var found in bucket.ListAsync(final + ObjectKeys.TempSuffix, cancellationToken))
                {
                    if (!committed.Contains(found.Name) && TempObjectNames.FenceOf(found.Name) is { } fence && fence < lease.FencingToken)
                    {
                        abandoned.Add(new ChunkObject(found.Name, found.Generation ?? 0, (long)(found.Size ?? 0)));
                    }
                }

                await _deleter.DeleteAsync(abandoned, cancellationToken);
                return abandoned.Sum(c => c.Size);
            },
            cancellationToken);

    private string Location(StoredUpload upload) =>
        UploadId.IsValid(upload.UploadId) && bucket.Names.TryParse(upload.Location, out var final, out var id) && final == upload.Location && id == upload.UploadId
            ? final
            : throw new ArgumentException($"'{upload.Location}' is not an upload of this store.", nameof(upload));
}
