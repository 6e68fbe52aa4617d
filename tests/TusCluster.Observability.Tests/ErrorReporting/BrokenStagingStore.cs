using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Observability.Tests.ErrorReporting;

/// <summary>The configured store, except that staging a chunk of the chosen uploads fails.</summary>
internal sealed class BrokenStagingStore : DelegatingUploadStore
{
    public const string BugMessage = "staging is broken for this upload (a bug planted by the test)";

    /// <summary>Staging for this upload throws what no handler expects: the request answers 500.</summary>
    public string? Buggy { get; set; }

    /// <summary>Staging for this upload finds the store unavailable: the request answers 503.</summary>
    public string? Unavailable { get; set; }

    public override ValueTask<StagedChunk> StageAsync(UploadRecord upload, IStagingContext staging, Stream chunk, CancellationToken cancellationToken) =>
        upload.Id == Buggy ? throw new InvalidOperationException(BugMessage)
        : upload.Id == Unavailable ? throw new StoreUnavailableException("the store is down (planted by the test)")
        : base.StageAsync(upload, staging, chunk, cancellationToken);
}
