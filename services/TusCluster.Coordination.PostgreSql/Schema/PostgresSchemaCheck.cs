using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.PostgreSql;

/// <summary>
/// At start: creates the schema (with <c>CreateSchema</c>) or refuses to start when it is missing, printing the SQL
/// to run. PostgreSQL being unreachable does not stop the start: the replica reports not ready, and the first
/// statement finds out again.
/// </summary>
internal sealed partial class PostgresSchemaCheck(PostgresUploadCoordination coordination, ILogger<PostgresSchemaCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        bool exists;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(coordination.Options.RequestTimeout * 5);
            await coordination.Schema.EnsureAsync(timeout.Token);
            exists = await coordination.Schema.ExistsAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException && !cancellationToken.IsCancellationRequested || PostgresCalls.IsFailure(e))
        {
            LogUnreachable(e.Message);
            return;
        }

        if (!exists)
        {
            throw new OptionsValidationException(
                PostgresCoordinationOptions.SectionName,
                typeof(PostgresCoordinationOptions),
                [$"{PostgresCoordinationOptions.SectionName}: {coordination.Schema.MissingMessage}"]);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL could not be reached at start to check the coordination schema ({Reason}); the first statement tries again.")]
    private partial void LogUnreachable(string reason);
}
