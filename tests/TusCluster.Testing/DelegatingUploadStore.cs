using Microsoft.Extensions.DependencyInjection;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Testing;

/// <summary>
/// The configured store, wrapped: a test overrides the one call it watches or breaks and every other
/// call reaches the real store.
/// </summary>
public abstract class DelegatingUploadStore : IUploadStore
{
    private IUploadStore? _inner;

    protected IUploadStore Inner => _inner ?? throw new InvalidOperationException("The store has not been resolved yet.");

    /// <summary>Replaces the registered store with this one wrapped around it.</summary>
    public void WrapRegisteredStore(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(IUploadStore) && !d.IsKeyedService);
        services.Remove(original);
        services.AddSingleton<IUploadStore>(provider =>
        {
            _inner = original switch
            {
                { ImplementationInstance: IUploadStore instance } => instance,
                { ImplementationFactory: { } factory } => (IUploadStore)factory(provider),
                _ => (IUploadStore)ActivatorUtilities.CreateInstance(provider, original.ImplementationType!),
            };
            return this;
        });
    }

    public virtual ValueTask<string?> CreateAsync(UploadRecord upload, CancellationToken cancellationToken) => Inner.CreateAsync(upload, cancellationToken);

    public virtual ValueTask<StagedChunk> StageAsync(UploadRecord upload, IStagingContext staging, Stream chunk, CancellationToken cancellationToken) =>
        Inner.StageAsync(upload, staging, chunk, cancellationToken);

    public virtual ValueTask DiscardAsync(UploadRecord upload, StagedChunk chunk, CancellationToken cancellationToken) => Inner.DiscardAsync(upload, chunk, cancellationToken);

    public virtual ValueTask SettleAsync(UploadRecord committed, CancellationToken cancellationToken) => Inner.SettleAsync(committed, cancellationToken);

    public virtual ValueTask<string?> CompleteAsync(UploadRecord upload, CancellationToken cancellationToken) => Inner.CompleteAsync(upload, cancellationToken);

    public virtual ValueTask<string?> ConcatenateAsync(UploadRecord final, IReadOnlyList<UploadRecord> partials, CancellationToken cancellationToken) =>
        Inner.ConcatenateAsync(final, partials, cancellationToken);

    public virtual ValueTask<Stream> OpenReadAsync(UploadRecord upload, long offset, long count, CancellationToken cancellationToken) =>
        Inner.OpenReadAsync(upload, offset, count, cancellationToken);

    public virtual ValueTask DeleteAsync(UploadRecord upload, CancellationToken cancellationToken) => Inner.DeleteAsync(upload, cancellationToken);

    public IReadOnlyDictionary<string, string> Describe(UploadRecord upload) => Inner.Describe(upload);

    public virtual ValueTask<bool> IsHealthyAsync(CancellationToken cancellationToken) => Inner.IsHealthyAsync(cancellationToken);
}
