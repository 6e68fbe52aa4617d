using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Observability.Instrumentation;

/// <summary>Times, traces and counts the failures of every call into the upload store.</summary>
internal sealed class InstrumentedStore : IUploadStore
{
    private readonly IUploadStore _inner;
    private readonly string _backend;

    public InstrumentedStore(IUploadStore inner, string backend)
    {
        _inner = inner;
        _backend = backend;
    }

    public ValueTask<string?> CreateAsync(UploadRecord upload, CancellationToken cancellationToken) =>
        Measure("create", upload.Id, () => _inner.CreateAsync(upload, cancellationToken), cancellationToken);

    public ValueTask<StagedChunk> StageAsync(UploadRecord upload, IStagingContext staging, Stream chunk, CancellationToken cancellationToken) =>
        Measure("stage", upload.Id, () => _inner.StageAsync(upload, staging, chunk, cancellationToken), cancellationToken);

    public ValueTask DiscardAsync(UploadRecord upload, StagedChunk chunk, CancellationToken cancellationToken) =>
        Measure("discard", upload.Id, () => _inner.DiscardAsync(upload, chunk, cancellationToken), cancellationToken);

    public ValueTask SettleAsync(UploadRecord committed, CancellationToken cancellationToken) =>
        Measure("settle", committed.Id, () => _inner.SettleAsync(committed, cancellationToken), cancellationToken);

    public ValueTask<string?> CompleteAsync(UploadRecord upload, CancellationToken cancellationToken) =>
        Measure("complete", upload.Id, () => _inner.CompleteAsync(upload, cancellationToken), cancellationToken);

    public ValueTask<string?> ConcatenateAsync(UploadRecord final, IReadOnlyList<UploadRecord> partials, CancellationToken cancellationToken) =>
        Measure("concatenate", final.Id, () => _inner.ConcatenateAsync(final, partials, cancellationToken), cancellationToken);

    public ValueTask<Stream> OpenReadAsync(UploadRecord upload, long offset, long count, CancellationToken cancellationToken) =>
        Measure("open_read", upload.Id, () => _inner.OpenReadAsync(upload, offset, count, cancellationToken), cancellationToken);

    public ValueTask DeleteAsync(UploadRecord upload, CancellationToken cancellationToken) =>
        Measure("delete", upload.Id, () => _inner.DeleteAsync(upload, cancellationToken), cancellationToken);

    public IReadOnlyDictionary<string, string> Describe(UploadRecord upload) => _inner.Describe(upload);

    public async ValueTask<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        var healthy = false;
        try
        {
            healthy = await Measure("health", null, () => _inner.IsHealthyAsync(cancellationToken), cancellationToken);
            return healthy;
        }
        finally
        {
            BackendHealth.Report("store", _backend, healthy);
        }
    }

    private ValueTask<T> Measure<T>(string operation, string? uploadId, Func<ValueTask<T>> call, CancellationToken cancellationToken) =>
        OperationScope.StoreAsync(_backend, operation, uploadId, call, cancellationToken);

    private async ValueTask Measure(string operation, string? uploadId, Func<ValueTask> call, CancellationToken cancellationToken) =>
        await OperationScope.StoreAsync(_backend, operation, uploadId, async () => { await call(); return true; }, cancellationToken);
}
