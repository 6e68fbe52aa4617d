using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.FileSystem.Tests;

/// <summary>
/// A staging context with no lease behind it that only carries a fencing token: the file store reads
/// the token and never reserves through the context, so committing here is a test error.
/// </summary>
internal sealed class FixedFenceStaging(long fencingToken) : IStagingContext
{
    public long FencingToken { get; } = fencingToken;

    public bool RecordExists => true;

    public ValueTask CommitStoreStateAsync(string? storeState, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The file store must not commit while staging.");
}
