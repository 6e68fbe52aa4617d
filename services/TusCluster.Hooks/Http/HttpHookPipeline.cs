using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace TusCluster.Hooks.Http;

/// <summary>
/// The HTTP sink's resilience: an overall timeout around retries (exponential backoff with jitter on
/// transport errors, attempt timeouts, 5xx and 429) around a per-attempt timeout.
/// </summary>
internal static partial class HttpHookPipeline
{
    public static ResiliencePipeline<HttpHookAnswer> Create(HttpHookOptions options, ILogger logger, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder<HttpHookAnswer> { TimeProvider = timeProvider }
            .AddTimeout(options.TotalTimeout);
        if (options.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpHookAnswer>
            {
                MaxRetryAttempts = options.Retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.Backoff,
                ShouldHandle = new PredicateBuilder<HttpHookAnswer>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .Handle<IOException>()
                    .HandleResult(answer => answer.IsTransient),
                OnRetry = arguments =>
                {
                    LogRetry(logger, arguments.AttemptNumber + 1, arguments.Outcome.Exception?.Message ?? $"status {arguments.Outcome.Result.StatusCode}", arguments.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.AddTimeout(options.Timeout).Build();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "HTTP hook attempt {Attempt} failed ({Reason}); retrying in {Delay}.")]
    private static partial void LogRetry(ILogger logger, int attempt, string reason, TimeSpan delay);
}
