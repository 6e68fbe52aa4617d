using System.Net.Sockets;
using Npgsql;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.PostgreSql;

/// <summary>
/// Runs statements on pooled connections within the request timeout and turns every failure into
/// <see cref="CoordinationUnavailableException"/>. Nothing is retried here: a write whose reply was lost has an
/// unknown outcome, which its caller settles by reading. A broken connection empties the pool, so the next call
/// connects afresh instead of finding the other dead connections one request at a time (after a failover or restart).
/// </summary>
internal sealed class PostgresCalls(NpgsqlDataSource dataSource, TimeSpan requestTimeout, PostgresSchemaSetup schema)
{
    public TimeSpan RequestTimeout { get; } = requestTimeout;

    /// <summary>
    /// A statement the caller may abandon (a read). Writes pass <see cref="CancellationToken.None"/>: a write nobody
    /// waits for would have an unknown outcome.
    /// </summary>
    public async Task<T> RunAsync<T>(string what, Func<NpgsqlCommand, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            await schema.EnsureAsync(timeout.Token);
            await using var connection = await dataSource.OpenConnectionAsync(timeout.Token);
            await using var command = connection.CreateCommand();
            return await call(command, timeout.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CoordinationUnavailableException($"PostgreSQL did not answer {what} within {RequestTimeout}.", e);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            schema.Missing();
            throw new CoordinationUnavailableException($"{what} failed: {schema.MissingMessage}", e);
        }
        catch (Exception e) when (IsFailure(e))
        {
            if (IsConnectionLost(e))
            {
                dataSource.Clear();
            }

            throw new CoordinationUnavailableException($"PostgreSQL failed {what}: {e.Message}", e);
        }
    }

    /// <summary>A statement without rows to read: the number of rows it changed.</summary>
    public Task<int> ExecuteAsync(string what, string sql, NpgsqlParameter[] parameters, CancellationToken cancellationToken) =>
        RunAsync(what, async (command, token) =>
        {
            command.CommandText = sql;
            command.Parameters.AddRange(parameters);
            return await command.ExecuteNonQueryAsync(token);
        }, cancellationToken);

    /// <summary>
    /// The connection (or the server) is gone, not just this statement: a socket error, or the server saying it shuts
    /// down, crashed or is still starting (class 57), or a connection exception (class 08).
    /// </summary>
    private static bool IsConnectionLost(Exception e) =>
        e is not PostgresException postgres || postgres.SqlState.StartsWith("57", StringComparison.Ordinal) || postgres.SqlState.StartsWith("08", StringComparison.Ordinal);

    internal static bool IsFailure(Exception e) =>
        e is NpgsqlException or IOException or SocketException or TimeoutException or ObjectDisposedException
            || (e is InvalidOperationException && e.Source == "Npgsql");
}
