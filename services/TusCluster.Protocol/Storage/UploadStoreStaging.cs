using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Storage;

/// <summary>Staging by a writer that holds the upload's lease.</summary>
public static class UploadStoreStaging
{
    /// <summary>
    /// Stages <paramref name="chunk"/> with the narrow <see cref="IStagingContext"/> over
    /// <paramref name="lease"/>: the store sees the fence and may reserve space, nothing more.
    /// </summary>
    public static ValueTask<StagedChunk> StageAsync(this IUploadStore store, UploadRecord upload, IUploadLease lease, Stream chunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(lease);
        return store.StageAsync(upload, new LeaseStagingContext(lease, upload), chunk, cancellationToken);
    }
}
