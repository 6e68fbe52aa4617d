using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.Azure;

/// <summary>
/// With <c>CreateContainer</c>: creates the container at start when it does not exist yet; an account that
/// cannot be reached at start is tried again in the background (<see cref="StoreStartupTask"/>).
/// </summary>
internal sealed class ContainerInitializer(AzureContainer container, IOptions<AzureStoreOptions> options, ILogger<ContainerInitializer> logger) : StoreStartupTask(logger)
{
    protected override bool Enabled => options.Value.CreateContainer;

    protected override string What => $"make sure container {container.Name} exists";

    protected override Task RunOnceAsync(CancellationToken cancellationToken) =>
        AzureErrors.GuardAsync("create container " + container.Name, () => container.Client.CreateIfNotExistsAsync(cancellationToken: cancellationToken), cancellationToken).AsTask();
}
