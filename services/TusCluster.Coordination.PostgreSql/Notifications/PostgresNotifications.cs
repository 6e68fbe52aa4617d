using Microsoft.Extensions.Logging;
using Npgsql;

namespace TusCluster.Coordination.PostgreSql;

/// <summary>
/// The one listening connection of a replica: LISTEN on the schema's hand-over and released channels, kept open and
/// re-established after any failure (a restart, a failover, a dead socket found by an idle ping). Notifications sent
/// while it is away are lost; the acquire loop's polling and repeated hand-over requests cover them. Not pooled: a
/// pooled connection would be reset (UNLISTEN) when returned.
/// </summary>
internal sealed partial class PostgresNotifications : IAsyncDisposable
{
    /// <summary>How long the connection may stay silent before a ping proves it alive (a paused or vanished server).</summary>
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresStatements _statements;
    private readonly TimeSpan _requestTimeout;
    private readonly Action<string> _handOver;
    private readonly Action<string> _released;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;

    public PostgresNotifications(
        string connectionString, PostgresStatements statements, TimeSpan requestTimeout, Action<string> handOver, Action<string> released, ILogger logger)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        builder.ApplicationName ??= "tuscluster-listen";
        _dataSource = NpgsqlDataSource.Create(builder);
        _statements = statements;
        _requestTimeout = requestTimeout;
        _handOver = handOver;
        _released = released;
        _logger = logger;
    }

    /// <summary>Completes once the first LISTEN succeeded (requests sent before are missed, and repeated).</summary>
    public Task Listening => _listening.Task;

    public void Start() => _loop = Task.Run(RunAsync);

    private async Task RunAsync()
    {
        var stop = _stop.Token;
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is OperationCanceledException || PostgresCalls.IsFailure(e))
            {
                LogListenFailed(e.Message);
            }

            try
            {
                await Task.Delay(backoff, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = backoff * 2 < MaxBackoff ? backoff * 2 : MaxBackoff;
        }
    }

    private async Task ListenAsync(CancellationToken stop)
    {
        NpgsqlConnection connection;
        using (var timeout = Within(stop))
        {
            connection = await _dataSource.OpenConnectionAsync(timeout.Token);
        }

        await using (connection)
        {
            connection.Notification += OnNotification;
            await ExecuteAsync(connection, _statements.Listen, stop);
            _listening.TrySetResult();
            while (true)
            {
                if (!await connection.WaitAsync(IdleCheck, stop))
                {
                    await ExecuteAsync(connection, "SELECT 1", stop);
                }
            }
        }
    }

    private async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken stop)
    {
        using var timeout = Within(stop);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(timeout.Token);
    }

    private CancellationTokenSource Within(CancellationToken stop)
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(_requestTimeout);
        return timeout;
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (e.Channel == _statements.HandOverChannel)
        {
            _handOver(e.Payload);
        }
        else if (e.Channel == _statements.ReleasedChannel)
        {
            _released(e.Payload);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        await _dataSource.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The PostgreSQL listening connection failed ({Reason}); listening again (hand-overs fall back to polling meanwhile).")]
    private partial void LogListenFailed(string reason);
}
