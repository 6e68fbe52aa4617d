using System.Net.Sockets;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Polly;
using Polly.Retry;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.DynamoDb;

/// <summary>
/// Runs DynamoDB calls within the request timeout and turns every failure into
/// <see cref="CoordinationUnavailableException"/>, except a failed condition, which callers handle.
/// Reads and idempotent writes are retried on transient errors (jittered backoff); other writes run
/// once, since their outcome is unknown after a failure and must be found out by reading.
/// </summary>
internal sealed class DynamoDbCalls
{
    private readonly ResiliencePipeline _retry;
    private readonly ResiliencePipeline _conflictRetry;
    private readonly string _tableName;

    public DynamoDbCalls(TimeSpan requestTimeout, string tableName)
    {
        RequestTimeout = requestTimeout;
        _tableName = tableName;
        _retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(50),
                MaxDelay = TimeSpan.FromSeconds(1),
            })
            .Build();

        // A write refused because a transaction (an outbox commit) was in progress on the item was not
        // applied, so even a write that is otherwise sent once can be sent again.
        _conflictRetry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<TransactionConflictException>(),
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(20),
            })
            .Build();
    }

    public TimeSpan RequestTimeout { get; }

    /// <summary>Called when DynamoDB says the table is missing (it may have been deleted, or the endpoint restarted empty).</summary>
    public Action? TableMissing { get; set; }

    /// <summary>A call that may be repeated: a read, or a write whose repetition changes nothing.</summary>
    public Task<T> RetriedAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        RunAsync(what, token => _retry.ExecuteAsync(static async (c, t) => await c(t), call, token).AsTask(), cancellationToken);

    /// <summary>
    /// A write sent once and not cancelled by the caller once sent: a write nobody waits for would have an
    /// unknown outcome; sent again only when DynamoDB refused it for a transaction in progress.
    /// <see cref="ConditionalCheckFailedException"/> and <see cref="TransactionCanceledException"/> pass through.
    /// </summary>
    public Task<T> OnceAsync<T>(string what, Func<CancellationToken, Task<T>> call) =>
        RunAsync(what, token => _conflictRetry.ExecuteAsync(static async (c, t) => await c(t), call, token).AsTask(), CancellationToken.None);

    private async Task<T> RunAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            return await call(timeout.Token);
        }
        catch (Exception e) when (e is ConditionalCheckFailedException or TransactionCanceledException)
        {
            // The caller tells a failed condition from a conflict by the cancellation reasons.
            throw;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CoordinationUnavailableException($"DynamoDB did not answer {what} within {RequestTimeout}.", e);
        }
        catch (ResourceNotFoundException e)
        {
            TableMissing?.Invoke();
            throw new CoordinationUnavailableException(
                $"The DynamoDB table '{_tableName}' or its index does not exist ({what}); create it (README.md) or set {DynamoDbCoordinationOptions.SectionName}:CreateTable.", e);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or SocketException or TimeoutException)
        {
            throw new CoordinationUnavailableException($"DynamoDB failed {what}: {e.Message}", e);
        }
    }

    internal static bool IsTransient(Exception e) => e switch
    {
        ConditionalCheckFailedException or TransactionCanceledException or ResourceNotFoundException => false,

        // A transaction was in progress on the item (an outbox commit): nothing was done, try again.
        TransactionConflictException => true,
        ProvisionedThroughputExceededException or RequestLimitExceededException or ThrottlingException
            or InternalServerErrorException or LimitExceededException => true,
        AmazonServiceException { StatusCode: >= System.Net.HttpStatusCode.InternalServerError } => true,
        AmazonServiceException { InnerException: HttpRequestException or IOException or SocketException } => true,
        AmazonClientException { InnerException: HttpRequestException or IOException or SocketException } => true,
        HttpRequestException or IOException or SocketException or TimeoutException => true,
        _ => false,
    };
}
