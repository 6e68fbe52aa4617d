using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using TusCluster.Coordination.Outbox;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.PostgreSql;

/// <summary>
/// Coordination through PostgreSQL: a row per upload holds its record, fencing token and lease; the expiry index is
/// a b-tree index on the record's expiry column; the outbox is a table written by the commit's own statement.
/// Hand-over requests and release notices travel over LISTEN/NOTIFY (<see cref="PostgresNotifications"/>). One Npgsql
/// data source (its pool) per instance; the container holds one instance per process.
/// </summary>
internal sealed partial class PostgresUploadCoordination : IUploadCoordination, IEventOutbox, IUploadLockSteps<PostgresLockHolder>, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, PostgresUploadLease> _leases = new(StringComparer.Ordinal);
    private readonly ReleaseSignals _releases = new();
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly PostgresNotifications _notifications;
    private int _disposed;

    public PostgresUploadCoordination(IOptions<PostgresCoordinationOptions> options, ILogger<PostgresUploadCoordination> logger)
    {
        Options = options.Value;
        _logger = logger;
        UnreadableOutboxEntries.Track("postgresql");
        Statements = new PostgresStatements(Options.Schema);
        LeaseTtlMilliseconds = (long)Options.LeaseTtl.TotalMilliseconds;
        var builder = new NpgsqlDataSourceBuilder(Options.ConnectionString);
        builder.ConnectionStringBuilder.ApplicationName ??= "tuscluster";

        // No statement leaves session state behind (no SET, temporary tables or prepared statements), so a connection
        // returned to the pool needs no DISCARD ALL, which would be one more statement on the next use.
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        _dataSource = builder.Build();
        Schema = new PostgresSchemaSetup(_dataSource, Options, Statements);
        Calls = new PostgresCalls(_dataSource, Options.RequestTimeout, Schema);
        // The configured string, not the builder's: that one may have dropped the password (Persist Security Info).
        _notifications = new PostgresNotifications(
            Options.ConnectionString!, Statements, Options.RequestTimeout, OnHandOverRequested, _releases.Signal, logger);
        _notifications.Start();
    }

    internal PostgresCoordinationOptions Options { get; }

    internal PostgresStatements Statements { get; }

    internal PostgresCalls Calls { get; }

    internal PostgresSchemaSetup Schema { get; }

    internal long LeaseTtlMilliseconds { get; }

    /// <summary>Completes once this replica hears hand-over requests.</summary>
    internal Task Listening => _notifications.Listening;

    public async ValueTask<UploadRecord?> GetAsync(string uploadId, CancellationToken cancellationToken)
    {
        RequireId(uploadId);
        var json = await Calls.RunAsync("a read", async (command, token) =>
        {
            command.CommandText = Statements.Get;
            command.Parameters.Add(PostgresValues.Text(uploadId));
            return await command.ExecuteScalarAsync(token);
        }, cancellationToken);
        return Deserialize(uploadId, json as string);
    }

    /// <summary>The kit's acquire loop over this backend's steps: the acquire statement, a NOTIFY to the holder, a release notice.</summary>
    public ValueTask<IUploadLease> AcquireAsync(string uploadId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        RequireId(uploadId);
        return UploadLockLoop.AcquireAsync(this, uploadId, timeout, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<ExpiryEntry>> ReadExpiredAsync(DateTimeOffset upTo, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        return await Calls.RunAsync("an expiry index read", async (command, token) =>
        {
            command.CommandText = Statements.ReadExpired;
            command.Parameters.Add(PostgresValues.Bound(upTo));
            command.Parameters.Add(PostgresValues.Bigint(limit));
            var entries = new List<ExpiryEntry>();
            await using var reader = await command.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
            {
                entries.Add(new ExpiryEntry(reader.GetString(0), PostgresValues.Instant(reader.GetDateTime(1))));
            }

            return entries;
        }, cancellationToken);
    }

    public async ValueTask<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            // The answer proves that the server answers and the schema exists.
            await Calls.RunAsync("a health check", async (command, token) =>
            {
                command.CommandText = Statements.Health;
                return await command.ExecuteScalarAsync(token);
            }, cancellationToken);
            return true;
        }
        catch (CoordinationUnavailableException)
        {
            return false;
        }
    }

    /// <summary>Frees the lease if it still holds <paramref name="fence"/> and announces it (best effort: else it lapses after the TTL).</summary>
    internal async Task ReleaseAsync(string uploadId, long fence)
    {
        if (await TryReleaseAsync("a release", Statements.Release, [PostgresValues.Text(uploadId), PostgresValues.Bigint(fence)]))
        {
            Released(uploadId);
        }
    }

    /// <summary>Runs a release statement (its last parameter the released channel); false when PostgreSQL is unreachable.</summary>
    private async Task<bool> TryReleaseAsync(string what, string statement, NpgsqlParameter[] parameters)
    {
        try
        {
            await Calls.ExecuteAsync(what, statement, [.. parameters, PostgresValues.Text(Statements.ReleasedChannel)], CancellationToken.None);
            return true;
        }
        catch (CoordinationUnavailableException)
        {
            // Unreachable: the lease lapses by itself after the TTL.
            return false;
        }
    }

    /// <summary>Wakes this replica's waiters at once; other replicas hear the notification.</summary>
    internal void Released(string uploadId) => _releases.Signal(uploadId);

    internal void Forget(PostgresUploadLease lease) =>
        _leases.TryRemove(new KeyValuePair<string, PostgresUploadLease>(lease.UploadId, lease));

    internal static UploadRecord? Deserialize(string uploadId, string? json) =>
        json is null ? null : UploadRecordJson.Deserialize(uploadId, json, "PostgreSQL");

    private void OnHandOverRequested(string uploadId)
    {
        if (_leases.TryGetValue(uploadId, out var lease))
        {
            // The holder's callbacks run on the thread pool, never on the listening connection's reader.
            ThreadPool.QueueUserWorkItem(static l => l.RequestHandOver(), lease, preferLocal: false);
        }
    }

    private static void RequireId(string uploadId)
    {
        if (!UploadId.IsValid(uploadId))
        {
            throw new ArgumentException($"'{uploadId}' is not an upload id.", nameof(uploadId));
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The container may dispose it twice: as itself and through the factories of its interfaces.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var lease in _leases.Values)
        {
            await lease.DisposeAsync();
        }

        await _notifications.DisposeAsync();
        await _dataSource.DisposeAsync();
    }
}
