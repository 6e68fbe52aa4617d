using Microsoft.Extensions.DependencyInjection;
using TusCluster.Protocol.Uploads;

namespace TusCluster.UploadService.Tests.Protocol;

/// <summary>
/// The configured store, with a hook that runs just before a final upload is concatenated: lets a test
/// put a request (e.g. a DELETE of a partial) exactly into the window a race would hit.
/// </summary>
internal sealed class ConcatenationHookStore(Func<UploadRecord, Task> beforeConcatenate) : DelegatingUploadStore
{
    /// <summary>Replaces the registered store with itself wrapped around it.</summary>
    public static void Install(IServiceCollection services, Func<UploadRecord, Task> beforeConcatenate) =>
        new ConcatenationHookStore(beforeConcatenate).WrapRegisteredStore(services);

    public override async ValueTask<string?> ConcatenateAsync(UploadRecord final, IReadOnlyList<UploadRecord> partials, CancellationToken cancellationToken)
    {
        await beforeConcatenate(final);
        return await Inner.ConcatenateAsync(final, partials, cancellationToken);
    }
}
