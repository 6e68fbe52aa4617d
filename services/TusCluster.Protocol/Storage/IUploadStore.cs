using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Storage;

/// <summary>
/// The bytes of uploads. A store never decides what is committed: it stages a chunk in space private
/// to the writer's fencing token, the engine commits the record that references it, and only then
/// does the store make the chunk part of the upload (<see cref="SettleAsync"/>). A stale writer can
/// therefore write bytes but can never change committed ones.
/// Every method throws <see cref="StoreUnavailableException"/> for failures worth retrying.
/// </summary>
public interface IUploadStore
{
    /// <summary>Prepares storage for a new upload; returns the initial store state.</summary>
    ValueTask<string?> CreateAsync(UploadRecord upload, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="chunk"/>, which continues the upload at <c>upload.Offset</c>, into space
    /// private to the writer's fencing token (<paramref name="staging"/>), until the stream ends. The
    /// stream ends early (without an exception) when the client goes away or the writer is asked to stop;
    /// what arrived is staged. A store whose staging space is shared by all writers (S3 part numbers) may
    /// commit a reservation through <paramref name="staging"/> before it uses the space, so no two writers
    /// ever use the same space; the state it returns then carries that reservation forward. A writer
    /// holding the lease calls <see cref="UploadStoreStaging.StageAsync"/>.
    /// </summary>
    ValueTask<StagedChunk> StageAsync(UploadRecord upload, IStagingContext staging, Stream chunk, CancellationToken cancellationToken);

    /// <summary>Throws away a chunk that will not be committed (checksum mismatch, lease lost, too long).</summary>
    ValueTask DiscardAsync(UploadRecord upload, StagedChunk chunk, CancellationToken cancellationToken);

    /// <summary>
    /// Finishes the work that follows a commit (e.g. moving a staged chunk into place). Idempotent and
    /// safe to repeat by any later holder: every holder calls it before staging, so work left undone
    /// by a crashed replica is completed.
    /// </summary>
    ValueTask SettleAsync(UploadRecord committed, CancellationToken cancellationToken);

    /// <summary>
    /// Turns a complete, settled upload into its final object. Idempotent. Returns the store state to
    /// commit together with <see cref="UploadStatus.Finished"/>.
    /// </summary>
    ValueTask<string?> CompleteAsync(UploadRecord upload, CancellationToken cancellationToken);

    /// <summary>Writes the final upload as the concatenation of finished partial uploads, in order.</summary>
    ValueTask<string?> ConcatenateAsync(UploadRecord final, IReadOnlyList<UploadRecord> partials, CancellationToken cancellationToken);

    /// <summary>Opens a finished upload for reading <paramref name="count"/> bytes from <paramref name="offset"/>.</summary>
    ValueTask<Stream> OpenReadAsync(UploadRecord upload, long offset, long count, CancellationToken cancellationToken);

    /// <summary>Deletes every byte the store holds for the upload, staged or committed. Idempotent.</summary>
    ValueTask DeleteAsync(UploadRecord upload, CancellationToken cancellationToken);

    /// <summary>
    /// Where the upload's bytes live, for events (tusd's Storage: "Type" plus "Path", or "Bucket" and "Key").
    /// Must not touch the store: it is called while a request is answered.
    /// </summary>
    IReadOnlyDictionary<string, string> Describe(UploadRecord upload) => new Dictionary<string, string>();

    /// <summary>True when the store is usable; used by readiness.</summary>
    ValueTask<bool> IsHealthyAsync(CancellationToken cancellationToken);
}
