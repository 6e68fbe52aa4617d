using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TusCluster.Protocol.Storage;

/// <summary>
/// Work a store does once at start (create its bucket) that must not stop the service when the store
/// cannot be reached yet (readiness reports that): tried at start, then again every few seconds in the
/// background until it succeeds or the host stops. Shared by the object stores.
/// </summary>
public abstract partial class StoreStartupTask(ILogger logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _stopping = new();
    private Task _retrying = Task.CompletedTask;

    /// <summary>False: nothing to do (read at start, so configuration may set it until then).</summary>
    protected abstract bool Enabled { get; }

    /// <summary>What the task does, for the log: "make sure bucket x exists".</summary>
    protected abstract string What { get; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Enabled || await TryAsync(cancellationToken))
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

    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>One attempt; throws <see cref="StoreUnavailableException"/> when the store could not be reached.</summary>
    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    private async Task RetryAsync()
    {
        try
        {
            do
            {
                await Task.Delay(RetryInterval, _stopping.Token);
            }
            while (!await TryAsync(_stopping.Token));
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopped before the store came back.
        }
    }

    private async Task<bool> TryAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RunOnceAsync(cancellationToken);
            return true;
        }
        catch (StoreUnavailableException e)
        {
            LogFailed(logger, What, RetryInterval, e);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not {What}; trying again in {Interval}.")]
    private static partial void LogFailed(ILogger logger, string what, TimeSpan interval, Exception exception);
}
