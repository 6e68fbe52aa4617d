using System.Runtime.CompilerServices;
using Azure.Storage.Blobs.Models;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Storage.Azure;

/// <summary>
/// Lists the uploads the container holds bytes for under the prefix, flat or date-partitioned (both are
/// recognised): blobs (final, uncommitted ones with only staged blocks, and temporary) grouped by upload
/// name. A location is the upload's blob name, checked again before anything is deleted.
/// </summary>
internal sealed class AzureUploadInventory(AzureContainer container) : IUploadInventory
{
    private readonly AzureUploadDeleter _deleter = new(container);

    public async IAsyncEnumerable<StoredUpload> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The blobs of one upload are adjacent in a listing (names sort by upload name first).
        StoredUpload? current = null;
        await foreach (var blob in StoreCalls.GuardEach(container.ListAsync(container.Keys.Prefix, cancellationToken), e => AzureErrors.IsStoreFailure(e, cancellationToken), e => AzureErrors.Unavailable("list the container", e), cancellationToken))
        {
            if (!container.Keys.TryParse(blob.Name, out var name, out var id))
            {
                continue;
            }

            var modified = blob.Properties.LastModified ?? DateTimeOffset.UnixEpoch;
            var bytes = blob.Properties.ContentLength ?? 0;
            if (current is not null && current.Location != name)
            {
                yield return current;
                current = null;
            }

            current = current is null
                ? new StoredUpload(id, modified, bytes, name)
                : current with { LastModified = modified > current.LastModified ? modified : current.LastModified, Bytes = current.Bytes + bytes };
        }

        if (current is not null)
        {
            yield return current;
        }
    }

    public ValueTask DeleteAsync(StoredUpload upload, CancellationToken cancellationToken)
    {
        if (!UploadId.IsValid(upload.UploadId) || !container.Keys.TryParse(upload.Location, out var name, out var id) || name != upload.Location || id != upload.UploadId)
        {
            throw new ArgumentException($"'{upload.Location}' is not an upload blob of this store.", nameof(upload));
        }

        return AzureErrors.GuardAsync("delete orphaned upload " + upload.UploadId, () => _deleter.DeleteAsync(name, cancellationToken), cancellationToken);
    }
}
