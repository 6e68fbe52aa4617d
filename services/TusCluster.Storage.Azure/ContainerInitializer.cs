using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.Azure;

/// <summary>
/// With <c>CreateContainer</c>: creates the container at start when it does not exist yet. An account
/// that cannot be reached at start does not stop the service (readiness reports it): creation is tried
/// again every few seconds in the background until it succeeds.
/// </summary>
internal sealed partial class ContainerInitializer(AzureContainer container, IOptions<AzureStoreOptions> options, ILogger<ContainerInitializer> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _stopping = new();
    private Task _retrying = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.CreateContainer || await TryEnsureAsync(cancellationToken))
        {
            return;
        }

        _retrying = Task.Run(RetryAsync, CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _retrying.WaitAsync(cancellationToken);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task RetryAsync()
    {
        try
        {
            do
            {
                await Task.Delay(RetryInterval, _stopping.Token);
            }
            while (!await TryEnsureAsync(_stopping.Token));
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopped before Azure came back.
        }
    }

    private async Task<bool> TryEnsureAsync(CancellationToken cancellationToken)
    {
        try
        {
            await AzureErrors.GuardAsync("create container " + container.Name, () => container.Client.CreateIfNotExistsAsync(cancellationToken: cancellationToken), cancellationToken);
            return true;
        }
        catch (StoreUnavailableException e)
        {
            LogNotCreated(logger, container.Name, RetryInterval, e);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not make sure container {Container} exists; trying again in {Interval}.")]
    private static partial void LogNotCreated(ILogger logger, string container, TimeSpan interval, Exception exception);
}
