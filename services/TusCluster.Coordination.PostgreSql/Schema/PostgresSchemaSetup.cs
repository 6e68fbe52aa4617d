using Npgsql;

namespace TusCluster.Coordination.PostgreSql;

/// <summary>
/// Creates the schema before the first statement when configured to (and again after a statement found it
/// missing: the database may have been replaced by an empty one). Several replicas starting at once take turns on
/// an advisory lock, since concurrent <c>CREATE TABLE IF NOT EXISTS</c> can still collide.
/// </summary>
internal sealed class PostgresSchemaSetup(NpgsqlDataSource dataSource, PostgresCoordinationOptions options, PostgresStatements statements)
{
    /// <summary>Any fixed key: every replica of every schema serialises its DDL on it.</summary>
    private const long SetupLockKey = 0x7475_7363_6c75_7374;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _ready = !options.CreateSchema;

    /// <summary>What an operator reads when the tables are missing: the SQL to run, or the setting that runs it.</summary>
    public string MissingMessage =>
        $"the PostgreSQL schema '{options.Schema}' or its tables do not exist. Run this SQL as a role that may create them " +
        $"(or set {PostgresCoordinationOptions.SectionName}:CreateSchema=true):{Environment.NewLine}{PostgresSchema.Script(options.Schema)}";

    public void Missing()
    {
        if (options.CreateSchema)
        {
            _ready = false;
        }
    }

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_ready)
            {
                return;
            }

            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var command = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({SetupLockKey})", connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var command = new NpgsqlCommand(PostgresSchema.Script(options.Schema), connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            _ready = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>True when both tables exist (without creating anything).</summary>
    public async Task<bool> ExistsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(statements.SchemaExists, connection);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }
}
