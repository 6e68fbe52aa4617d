using System.Collections.Concurrent;
using Amazon.S3;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TusCluster.Coordination.Outbox;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;
using TusCluster.S3Client;

namespace TusCluster.Coordination.S3;

/// <summary>
/// Coordination on an S3 bucket alone. Each upload is one JSON document (<see cref="UploadDocument"/>) changed
/// only by conditional PUTs: If-Match on the ETag read, If-None-Match: * for a new one. Acquire is a GET and
/// one conditional PUT; commit-and-release one conditional PUT. A failed condition (412) means another writer
/// came first: re-read and decide, never an error. See docs/architecture.md for the reasoning.
/// </summary>
internal sealed partial class S3UploadCoordination : IUploadCoordination, IAsyncDisposable
{
    private static readonly TimeSpan BucketCreationTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, S3UploadLease> _leases = new(StringComparer.Ordinal);
    private readonly ReleaseSignals _releases = new();
    private readonly ILogger<S3UploadCoordination> _logger;
    private readonly string _ownerId = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _bucketGate = new(1, 1);
    private readonly AmazonS3Client _client;
    private readonly HandOverPoll _handOverPoll;
    private volatile bool _bucketReady;
    private int _disposed;

    public S3UploadCoordination(IOptions<S3CoordinationOptions> options, ILogger<S3UploadCoordination> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Value;
        _logger = logger;
        UnreadableOutboxEntries.Track("s3");
        _bucketReady = !Options.CreateBucket;
        Keys = new CoordinationKeys(Options.KeyPrefix);

        // Retries are ours (S3Calls): a conditional PUT the SDK sent again after a lost answer would fail its own condition.
        _client = S3ClientFactory.Create(Options, config =>
        {
            config.MaxErrorRetry = 0;
            // A backstop only: S3Calls bounds each call by the request timeout, bucket creation has its own bound.
            config.Timeout = BucketCreationTimeout;
        }, expectContinue: false);
        Objects = new CoordinationObjects(_client, Options.Bucket, new S3Calls(Options.RequestTimeout));
        _handOverPoll = new HandOverPoll(Options.PollInterval, () => !_leases.IsEmpty, PollHandOversAsync, LogPollFailed);
    }

    internal S3CoordinationOptions Options { get; }

    internal CoordinationKeys Keys { get; }

    internal CoordinationObjects Objects { get; }

    internal long LeaseTtlMilliseconds => (long)Options.LeaseTtl.TotalMilliseconds;

    public async ValueTask<UploadRecord?> GetAsync(string uploadId, CancellationToken cancellationToken)
    {
        RequireId(uploadId);
        await EnsureBucketAsync(cancellationToken);
        return (await ReadAsync(uploadId, cancellationToken)).Document?.Record;
    }

    public async ValueTask<IUploadLease> AcquireAsync(string uploadId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        RequireId(uploadId);
        await EnsureBucketAsync(cancellationToken);
        return await UploadLockLoop.AcquireAsync(this, uploadId, timeout, cancellationToken);
    }

    public async ValueTask<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.RequestTimeout < TimeSpan.FromSeconds(2) ? Options.RequestTimeout : TimeSpan.FromSeconds(2));
        try
        {
            await EnsureBucketAsync(timeout.Token);
            await Objects.ListAsync(Keys.UploadsPrefix, null, 1, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is CoordinationUnavailableException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    internal Task<(UploadDocument? Document, string? ETag)> ReadAsync(string uploadId, CancellationToken cancellationToken) =>
        Objects.ReadAsync(uploadId, Keys.Upload(uploadId), cancellationToken);

    internal static long NowMilliseconds() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>Runs clean-up nobody waits for (a stale key, a hand-over request); a failure leaves it to the lazy clean-up.</summary>
    internal void Detach(Func<CancellationToken, Task> cleanUp)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        var stop = _stop.Token;
        _ = Task.Run(async () =>
        {
            try
            {
                await cleanUp(stop);
            }
            catch (Exception e) when (e is CoordinationUnavailableException or OperationCanceledException or ObjectDisposedException)
            {
                LogCleanUpFailed(e);
            }
        }, CancellationToken.None);
    }

    private async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        if (_bucketReady)
        {
            return;
        }

        await _bucketGate.WaitAsync(cancellationToken);
        try
        {
            if (!_bucketReady)
            {
                // A new RGW creates its pools with the first bucket, which takes longer than one request.
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(BucketCreationTimeout);
                try
                {
                    // A listing proves the bucket is there as well as HEAD does, and is what this backend uses anyway.
                    if (!await BucketAnswersAsync(timeout.Token))
                    {
                        await S3BucketCreation.EnsureExistsAsync(_client, Options.Bucket, timeout.Token);
                    }
                }
                catch (Exception e) when (e is AmazonS3Exception or Amazon.Runtime.AmazonClientException or HttpRequestException or IOException or TimeoutException
                    || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    throw new CoordinationUnavailableException($"The S3 bucket '{Options.Bucket}' could not be made sure of: {e.Message}", e);
                }

                _bucketReady = true;
            }
        }
        finally
        {
            _bucketGate.Release();
        }
    }

    private async Task<bool> BucketAnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Objects.ListAsync(Keys.UploadsPrefix, null, 1, cancellationToken);
            return true;
        }
        catch (CoordinationUnavailableException e) when (e.InnerException is AmazonS3Exception { ErrorCode: "NoSuchBucket" })
        {
            return false;
        }
    }

    private static void RequireId(string uploadId)
    {
        if (!UploadId.IsValid(uploadId))
        {
            throw new ArgumentException($"'{uploadId}' is not an upload id.", nameof(uploadId));
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "An S3 clean-up failed; the lazy clean-up of readers takes it over.")]
    private partial void LogCleanUpFailed(Exception exception);

    public async ValueTask DisposeAsync()
    {
        // The container may dispose it twice: as itself and as IUploadCoordination.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var lease in _leases.Values)
        {
            await lease.DisposeAsync();
        }

        await _stop.CancelAsync();
        await _handOverPoll.DisposeAsync();

        _client.Dispose();
        _stop.Dispose();
        _bucketGate.Dispose();
    }
}
