using Azure.Storage.Blobs.Models;

namespace TusCluster.Storage.Azure;

/// <summary>
/// Removes everything of one upload: its blob with every staged block (a blob that has only uncommitted
/// blocks cannot be deleted, so an empty block list is committed first, which drops them) and every
/// temporary blob under it. What a stale writer stages afterwards is found by the sweeper's orphan reclaim.
/// </summary>
internal sealed class AzureUploadDeleter(AzureContainer container)
{
    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await container.CommitAsync(name, [], headers: null, cancellationToken);
        await container.Client.DeleteBlobIfExistsAsync(name, DeleteSnapshotsOption.IncludeSnapshots, conditions: null, cancellationToken);
        await container.DeleteTemporaryAsync(name, cancellationToken);
    }
}
