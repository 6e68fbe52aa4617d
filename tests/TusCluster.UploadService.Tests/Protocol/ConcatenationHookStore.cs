using Microsoft.Extensions.DependencyInjection;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.UploadService.Tests.Protocol;

/// <summary>
/// The configured store, with a hook that runs just before a final upload is concatenated: lets a test
/// put a request (e.g. a DELETE of a partial) exactly into the window a race would hit.
/// </summary>
internal sealed class ConcatenationHookStore(IUploadStore inner, Func<UploadRecord, Task> beforeConcatenate) : IUploadStore
{
    /// <summary>Replaces the registered store with itself wrapped around it.</summary>
    public static void Install(IServiceCollection services, Func<UploadRecord, Task> beforeConcatenate)
    {
        var original = services.Last(d => d.ServiceType == typeof(IUploadStore) && !d.IsKeyedService);
        services.Remove(original);
        services.AddSingleton<IUploadStore>(provider => new ConcatenationHookStore(Create(original, provider), beforeConcatenate));
    }

    public async ValueTask<string?> ConcatenateAsync(UploadRecord final, IReadOnlyList<UploadRecord> partials, CancellationToken cancellationToken)
    {
        await beforeConcatenate(final);
        return await inner.ConcatenateAsync(final, partials, cancellationToken);
    }

    public ValueTask<string?> CreateAsync(UploadRecord upload, CancellationToken cancellationToken) => inner.CreateAsync(upload, cancellationToken);

    public ValueTask<StagedChunk> StageAsync(UploadRecord upload, IUploadLease lease, Stream chunk, CancellationToken cancellationToken) =>
        inner.StageAsync(upload, lease, chunk, cancellationToken);

    public ValueTask DiscardAsync(UploadRecord upload, StagedChunk chunk, CancellationToken cancellationToken) => inner.DiscardAsync(upload, chunk, cancellationToken);

    public ValueTask SettleAsync(UploadRecord committed, CancellationToken cancellationToken) => inner.SettleAsync(committed, cancellationToken);

    public ValueTask<string?> CompleteAsync(UploadRecord upload, CancellationToken cancellationToken) => inner.CompleteAsync(upload, cancellationToken);

    public ValueTask<Stream> OpenReadAsync(UploadRecord upload, long offset, long count, CancellationToken cancellationToken) =>
        inner.OpenReadAsync(upload, offset, count, cancellationToken);

    public ValueTask DeleteAsync(UploadRecord upload, CancellationToken cancellationToken) => inner.DeleteAsync(upload, cancellationToken);

    public ValueTask<bool> IsHealthyAsync(CancellationToken cancellationToken) => inner.IsHealthyAsync(cancellationToken);

    private static IUploadStore Create(ServiceDescriptor descriptor, IServiceProvider provider) => descriptor switch
    {
        { ImplementationInstance: IUploadStore instance } => instance,
        { ImplementationFactory: { } factory } => (IUploadStore)factory(provider),
        _ => (IUploadStore)ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!),
    };
}
