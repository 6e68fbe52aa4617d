using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Polly;
using Polly.Retry;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.S3;

/// <summary>
/// Runs S3 calls within the request timeout and turns every failure into <see cref="CoordinationUnavailableException"/>
/// (a 503 upstream). Reads are retried on transient errors (jittered backoff); writes run once, since after a
/// failure their outcome is unknown and must be found out by reading. The SDK's own retries are off.
/// </summary>
internal sealed class S3Calls(TimeSpan requestTimeout)
{
    private readonly ResiliencePipeline _retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
            MaxRetryAttempts = 2,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(50),
        })
        .Build();

    public TimeSpan RequestTimeout { get; } = requestTimeout;

    /// <summary>A read, or a write whose repetition changes nothing (a marker, a deletion).</summary>
    public Task<T> RetriedAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        RunAsync(what, token => _retry.ExecuteAsync(static async (c, t) => await c(t), call, token).AsTask(), cancellationToken);

    /// <summary>A conditional write: sent once, and not cancelled by the caller once sent (its outcome would be unknown).</summary>
    public Task<T> OnceAsync<T>(string what, Func<CancellationToken, Task<T>> call) => RunAsync(what, call, CancellationToken.None);

    public static bool IsPreconditionFailed(AmazonS3Exception e) =>
        e.StatusCode == HttpStatusCode.PreconditionFailed

        // A conditional write that raced another one on the same key (AWS); nothing was written.
        || (e.StatusCode == HttpStatusCode.Conflict && e.ErrorCode == "ConditionalRequestConflict");

    /// <summary>Whether a conditional write failed with the 500 that RGW gives some losers of a race on one key.</summary>
    public static bool IsRacedWrite(CoordinationUnavailableException e) =>
        e.InnerException is AmazonServiceException { StatusCode: >= HttpStatusCode.InternalServerError };

    public static bool IsNotFound(AmazonS3Exception e) => e.StatusCode == HttpStatusCode.NotFound || e.ErrorCode is "NoSuchKey";

    private async Task<T> RunAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            return await call(timeout.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CoordinationUnavailableException($"S3 did not answer {what} within {RequestTimeout}.", e);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or SocketException or TimeoutException)
        {
            var detail = e is AmazonServiceException service ? $"{(int)service.StatusCode} {service.ErrorCode} {service.Message}" : e.Message;
            throw new CoordinationUnavailableException($"S3 failed {what}: {detail}", e);
        }
    }

    private static bool IsTransient(Exception e) => e switch
    {
        AmazonS3Exception s3 when IsPreconditionFailed(s3) || IsNotFound(s3) => false,
        AmazonServiceException { StatusCode: >= HttpStatusCode.InternalServerError or HttpStatusCode.TooManyRequests } => true,
        AmazonServiceException { InnerException: HttpRequestException or IOException or SocketException } => true,
        AmazonClientException { InnerException: HttpRequestException or IOException or SocketException } => true,
        HttpRequestException or IOException or SocketException or TimeoutException => true,
        _ => false,
    };
}
