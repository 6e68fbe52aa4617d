using StackExchange.Redis;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Redis.Connection;

/// <summary>
/// Every failure talking to Redis becomes <see cref="CoordinationUnavailableException"/> (a 503). An error
/// reply keeps its <see cref="RedisServerException"/> inside: the command was refused, so its outcome is
/// known. Anything else (timeout, broken connection) leaves the outcome of a write unknown.
/// </summary>
internal static class RedisFailures
{
    /// <param name="call">Started inside the translation: the multiplexer throws synchronously, before any task
    /// exists, when it has no connection to send on.</param>
    public static async Task<T> RunAsync<T>(Func<Task<T>> call, string what)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (Translate(e, what) is { } unavailable)
        {
            throw unavailable;
        }
    }

    /// <summary>
    /// Whether the call's outcome on the primary is known: an error reply (it did not run, or ran and said
    /// no), or a write that ran but was not acknowledged by enough replicas (it must not be reported done).
    /// </summary>
    public static bool OutcomeKnown(CoordinationUnavailableException failure) => failure.InnerException is RedisServerException or ReplicasBehindException;

    private static CoordinationUnavailableException? Translate(Exception e, string what) => e switch
    {
        RedisServerException => new CoordinationUnavailableException($"Redis answered {what} with an error: {e.Message}", e),
        RedisTimeoutException => new CoordinationUnavailableException($"Redis did not answer {what} in time: {e.Message}", e),
        RedisException => new CoordinationUnavailableException($"Redis could not be reached for {what}: {e.Message}", e),
        _ => null,
    };
}
