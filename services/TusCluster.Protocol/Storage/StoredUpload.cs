namespace TusCluster.Protocol.Storage;

/// <summary>One upload as found in a store by <see cref="IUploadInventory.ListAsync"/>.</summary>
/// <param name="UploadId">The upload's id (validated by the store).</param>
/// <param name="LastModified">The newest write the store saw for the upload; orphans are judged by it.</param>
/// <param name="Bytes">Bytes the store holds for the upload, staged chunks included.</param>
/// <param name="Location">
/// Store-private: where the upload lives (e.g. a date-partitioned directory, or an object key and
/// multipart upload id), so that an upload without a record can still be found again for deletion.
/// </param>
/// <param name="StagedBytes">
/// Of <paramref name="Bytes"/>, those in staged chunks not yet moved into place (0 where a store cannot
/// tell); the sweeper asks the store to reclaim abandoned ones (<see cref="IUploadInventory.RemoveAbandonedStagingAsync"/>).
/// </param>
public sealed record StoredUpload(string UploadId, DateTimeOffset LastModified, long Bytes, string Location, long StagedBytes = 0);
