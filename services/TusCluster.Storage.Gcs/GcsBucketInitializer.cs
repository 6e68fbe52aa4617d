using Google;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.Gcs;

/// <summary>
/// With <c>CreateBucket</c>: creates the bucket at start when it does not exist yet. A GCS that cannot be
/// reached at start does not stop the service (readiness reports it): creation is tried again every few
/// seconds in the background until it succeeds.
/// </summary>
internal sealed partial class GcsBucketInitializer(GcsBucket bucket, IOptions<GcsStoreOptions> options, ILogger<GcsBucketInitializer> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _stopping = new();
    private Task _retrying = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.CreateBucket || await TryEnsureAsync(cancellationToken))
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

    internal async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        try
        {
            await bucket.Client.GetBucketAsync(bucket.Name, null, cancellationToken);
            return;
        }
        catch (GoogleApiException e) when (GcsErrors.IsNotFound(e))
        {
        }

        try
        {
            await bucket.Client.CreateBucketAsync(options.Value.ProjectId, bucket.Name, null, cancellationToken);
        }
        catch (GoogleApiException e) when (e.HttpStatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // Created meanwhile by another replica.
        }
    }

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
            // Stopped before GCS came back.
        }
    }

    private async Task<bool> TryEnsureAsync(CancellationToken cancellationToken)
    {
        try
        {
            await GcsErrors.GuardAsync("create bucket " + bucket.Name, () => EnsureBucketAsync(cancellationToken), cancellationToken);
            return true;
        }
        catch (StoreUnavailableException e)
        {
            LogNotCreated(logger, bucket.Name, RetryInterval, e);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not make sure bucket {Bucket} exists; trying again in {Interval}.")]
    private static partial void LogNotCreated(ILogger logger, string bucket, TimeSpan interval, Exception exception);
}
