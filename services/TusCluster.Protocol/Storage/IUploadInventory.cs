using TusCluster.Protocol.Coordination;

namespace TusCluster.Protocol.Storage;

/// <summary>
/// Optional companion of <see cref="IUploadStore"/>: lists what the store holds, so that the sweeper can
/// reclaim bytes that no upload record refers to any more (left by a crash between writing bytes and
/// committing a record, or by a failed deletion). Listing is proportional to the store's size, so it
/// runs rarely. A store that cannot list cheaply enough simply does not implement it.
/// </summary>
public interface IUploadInventory
{
    /// <summary>
    /// Every upload the store holds bytes for (committed or staged), in no particular order. Entries that
    /// are not uploads of this store are skipped, never returned.
    /// </summary>
    IAsyncEnumerable<StoredUpload> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Deletes every byte of a listed upload. The caller holds the upload's lease and has checked that it
    /// has no record. Idempotent.
    /// </summary>
    ValueTask DeleteAsync(StoredUpload upload, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes staged chunks of an upload that has a record but that no writer can commit any more (left
    /// by a writer killed mid-body): the caller holds the upload's <paramref name="lease"/>, so every chunk
    /// staged under an older fence, except the one <c>lease.Record</c> names as committed, is abandoned.
    /// Returns the bytes freed. Stores whose staging needs no reclaiming keep the default, which does nothing.
    /// </summary>
    ValueTask<long> RemoveAbandonedStagingAsync(StoredUpload upload, IUploadLease lease, CancellationToken cancellationToken) =>
        ValueTask.FromResult(0L);
}
