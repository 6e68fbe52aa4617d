using Microsoft.Extensions.Options;
using TusCluster.Backends;
using TusCluster.Coordination.Embedded;
using TusCluster.Storage.FileSystem;

namespace TusCluster.UploadService.Hosting;

/// <summary>
/// Tus:Server:InlineScheduling only where it was measured and cannot stall: the file store without Fsync.
/// The other stores hand the request body to client libraries as a stream they may read synchronously (the
/// GCS store's body stream answers a synchronous Read by blocking on the asynchronous one); on a socket thread
/// that is the thread that would have to deliver the bytes, so the connection, and every other one on that
/// thread, would hang. An fsync per commit (the store's or the embedded records') would stall them too.
/// </summary>
internal sealed class InlineSchedulingValidator(IConfiguration configuration) : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        if (!options.InlineScheduling)
        {
            return ValidateOptionsResult.Success;
        }

        var storage = configuration[BackendOptions.StorageProviderKey] ?? "FileSystem";
        if (!storage.Equals("FileSystem", StringComparison.OrdinalIgnoreCase))
        {
            return ValidateOptionsResult.Fail(
                $"Tus:Server:InlineScheduling works only with {BackendOptions.StorageProviderKey}=FileSystem (got '{storage}').");
        }

        foreach (var section in new[] { FileSystemStoreOptions.SectionName, EmbeddedCoordinationOptions.SectionName })
        {
            if (configuration.GetValue<bool>($"{section}:Fsync"))
            {
                return ValidateOptionsResult.Fail($"Tus:Server:InlineScheduling cannot be combined with {section}:Fsync=true.");
            }
        }

        return ValidateOptionsResult.Success;
    }
}
