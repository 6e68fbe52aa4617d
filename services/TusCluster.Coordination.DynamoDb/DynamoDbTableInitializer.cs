using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.DynamoDb;

/// <summary>
/// With <c>CreateTable</c>, creates the table at start and waits until it is ACTIVE. DynamoDB being
/// unreachable does not stop the start: the service then reports not ready, and the first operation
/// tries again.
/// </summary>
internal sealed partial class DynamoDbTableInitializer(DynamoDbUploadCoordination coordination, ILogger<DynamoDbTableInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!coordination.Options.CreateTable)
        {
            return;
        }

        try
        {
            await coordination.EnsureTableAsync(cancellationToken);
        }
        catch (CoordinationUnavailableException e)
        {
            LogNotCreated(e, coordination.TableName);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The DynamoDB table {TableName} could not be made ready at start; the first operation tries again.")]
    private partial void LogNotCreated(Exception exception, string tableName);
}
