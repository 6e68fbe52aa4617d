using System.Globalization;
using Polly;
using Polly.Retry;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Redis.Resp;

/// <summary>
/// Commands and scripts over the connection pool. Error replies become
/// <see cref="CoordinationUnavailableException"/> (with a <see cref="RedisErrorException"/> inside);
/// idempotent reads are retried on transient connection failures, nothing else is.
/// </summary>
internal sealed class RedisClient : IAsyncDisposable
{
    private readonly RedisConnectionPool _pool;
    private readonly ResiliencePipeline _readRetry;

    public RedisClient(RedisCoordinationOptions options)
    {
        _pool = new RedisConnectionPool(options);
        _readRetry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<CoordinationUnavailableException>(e => e.InnerException is not RedisErrorException),
                MaxRetryAttempts = 2,
                Delay = TimeSpan.FromMilliseconds(25),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .Build();
    }

    /// <summary>Runs a command once.</summary>
    public async Task<RespValue> CommandAsync(IReadOnlyList<string> command, CancellationToken cancellationToken) =>
        ThrowIfError(command[0], await _pool.ExecuteAsync(command, cancellationToken));

    /// <summary>Runs an idempotent read, retried with jittered back-off when the connection fails.</summary>
    public async Task<RespValue> ReadAsync(IReadOnlyList<string> command, CancellationToken cancellationToken) =>
        await _readRetry.ExecuteAsync(
            static async (state, token) => await state.Client.CommandAsync(state.Command, token),
            (Client: this, Command: command),
            cancellationToken);

    /// <summary>Runs a script by digest, and by source when Redis answers NOSCRIPT (after a restart or SCRIPT FLUSH).</summary>
    public async Task<RespValue> EvalAsync(RedisScript script, IReadOnlyList<string> keys, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var command = new List<string>(3 + keys.Count + arguments.Count) { "EVALSHA", script.Sha1, keys.Count.ToString(CultureInfo.InvariantCulture) };
        command.AddRange(keys);
        command.AddRange(arguments);
        var reply = await _pool.ExecuteAsync(command, cancellationToken);
        if (reply.IsError && reply.Text is { } text && text.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            command[0] = "EVAL";
            command[1] = script.Source;
            reply = await _pool.ExecuteAsync(command, cancellationToken);
        }

        return ThrowIfError("EVAL", reply);
    }

    private static RespValue ThrowIfError(string command, RespValue reply) =>
        reply.IsError
            ? throw new CoordinationUnavailableException($"Redis answered {command} with an error: {reply.Text}", new RedisErrorException(reply.Text ?? string.Empty))
            : reply;

    public ValueTask DisposeAsync() => _pool.DisposeAsync();
}
