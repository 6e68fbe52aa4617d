using Microsoft.Extensions.Options;
using TusCluster.Backends;
using TusCluster.Coordination.Embedded;
using TusCluster.Storage.FileSystem;

namespace TusCluster.UploadService.Hosting;

/// <summary>
/// Tus:Server:InlineScheduling only where it was measured and nothing is known to wait synchronously on a socket
/// thread: the file store, without fsync. The other stores hand the request body to client libraries as a stream
/// they may read synchronously (the GCS store's body stream answers a synchronous Read by blocking on the
/// asynchronous one); on a socket thread that is the thread that would have to deliver the bytes, so the
/// connection, and every other one on that thread, would hang. An fsync per commit (the store's, or the embedded
/// coordination's records') would hold the thread for a disk flush.
/// </summary>
internal sealed class InlineSchedulingValidator(IConfiguration configuration) : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        if (!options.InlineScheduling)
        {
            return ValidateOptionsResult.Success;
        }

        var storage = BackendOptions.StorageProvider(configuration);
        if (!BackendOptions.IsProvider(storage, "FileSystem"))
        {
            return ValidateOptionsResult.Fail(
                $"Tus:Server:InlineScheduling works only with {BackendOptions.StorageProviderKey}=FileSystem (got '{storage}').");
        }

        var fsync = BackendOptions.IsProvider(BackendOptions.CoordinationProvider(configuration), "Embedded")
            ? new[] { FileSystemStoreOptions.SectionName, EmbeddedCoordinationOptions.SectionName }
            : [FileSystemStoreOptions.SectionName];
        return fsync.FirstOrDefault(section => configuration.GetValue<bool>($"{section}:Fsync")) is { } fsynced
            ? ValidateOptionsResult.Fail($"Tus:Server:InlineScheduling cannot be combined with {fsynced}:Fsync=true.")
            : ValidateOptionsResult.Success;
    }
}
