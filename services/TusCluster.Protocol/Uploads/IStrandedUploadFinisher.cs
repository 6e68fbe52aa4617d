namespace TusCluster.Protocol.Uploads;

/// <summary>
/// Finishes an upload that is stranded: every byte is committed (offset equals length) but its writer stopped
/// before the last step (it died, or the backend failed just then, after the client was told the bytes were
/// kept). Finishing takes the upload's lease and raises post-finish where hooks are configured, as the writer
/// would have. For work outside a request, such as the sweeper, which must never expire such an upload.
/// </summary>
public interface IStrandedUploadFinisher
{
    /// <summary>
    /// The record finished (also when it already was); null when bytes are missing or the upload is no longer active.
    /// </summary>
    /// <exception cref="Coordination.LockTimeoutException">The lease could not be had within Tus:LockAcquireTimeout.</exception>
    Task<UploadRecord?> FinishAsync(UploadRecord record, CancellationToken cancellationToken);
}
