using Grpc.Core;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace TusCluster.Hooks.Grpc;

/// <summary>The gRPC sink's retries: an overall timeout around exponential retries with jitter on the transient status codes.</summary>
internal static partial class GrpcHookPipeline
{
    public static ResiliencePipeline Create(GrpcHookOptions options, ILogger logger, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider }.AddTimeout(options.TotalTimeout);
        if (options.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.Retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.Backoff,
                ShouldHandle = new PredicateBuilder().Handle<RpcException>(IsTransient),
                OnRetry = arguments =>
                {
                    LogRetry(logger, arguments.AttemptNumber + 1, arguments.Outcome.Exception?.Message ?? "no exception", arguments.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.Build();
    }

    // A response over our own size limit is ResourceExhausted too, but would only be too large again.
    internal static bool IsTransient(RpcException exception) =>
        exception.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded
        || (exception.StatusCode is StatusCode.ResourceExhausted && !exception.Status.Detail.StartsWith("Received message exceeds", StringComparison.Ordinal));

    [LoggerMessage(Level = LogLevel.Warning, Message = "gRPC hook attempt {Attempt} failed ({Reason}); retrying in {Delay}.")]
    private static partial void LogRetry(ILogger logger, int attempt, string reason, TimeSpan delay);
}
