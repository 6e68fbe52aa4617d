using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Storage.FileSystem.Tests;

/// <summary>
/// A stand-in lease (no coordination behind it) that only carries a fencing token: the file store
/// reads the token and never commits through the lease, so committing here is a test error.
/// </summary>
internal sealed class FixedFenceLease(long fencingToken) : IUploadLease
{
    public string UploadId => throw new NotSupportedException("The file store does not read the lease's upload id.");

    public long FencingToken { get; } = fencingToken;

    public UploadRecord? Record => null;

    public CancellationToken HandOverRequested => CancellationToken.None;

    public CancellationToken Lost => CancellationToken.None;

    public ValueTask<UploadRecord> CommitAsync(UploadRecord record, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The file store must not commit while staging.");

    public ValueTask RemoveAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException("The file store must not remove records.");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
