using Amazon;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using TusCluster.Coordination.DynamoDb.Table;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.DynamoDb;

/// <summary>The client, the table and health.</summary>
internal sealed partial class DynamoDbUploadCoordination
{
    public async ValueTask<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.RequestTimeout < TimeSpan.FromSeconds(2) ? Options.RequestTimeout : TimeSpan.FromSeconds(2));
        try
        {
            await EnsureTableAsync(timeout.Token);

            // Any key that is not an upload id: the answer proves the table exists and answers.
            await Client.GetItemAsync(
                new GetItemRequest { TableName = TableName, Key = new() { [UploadItem.Id] = new AttributeValue { S = "health" } } },
                timeout.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (ResourceNotFoundException)
        {
            Calls.TableMissing?.Invoke();
            return false;
        }
        catch (Exception e) when (e is CoordinationUnavailableException || DynamoDbCalls.IsTransient(e) || e is AmazonServiceException or AmazonClientException)
        {
            return false;
        }
    }

    /// <summary>Creates the table when configured to and not done yet; a failure is retried by the next call.</summary>
    internal async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (_tableReady)
        {
            return;
        }

        await _tableGate.WaitAsync(cancellationToken);
        try
        {
            if (_tableReady)
            {
                return;
            }

            // Creating a table takes longer than one request (seconds on AWS), so it gets its own bound.
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bound.CancelAfter(TimeSpan.FromMinutes(2));
            try
            {
                await UploadTableSetup.EnsureAsync(Client, TableName, bound.Token);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CoordinationUnavailableException($"The DynamoDB table '{TableName}' did not become ACTIVE.", e);
            }
            catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or TimeoutException)
            {
                throw new CoordinationUnavailableException($"The DynamoDB table '{TableName}' could not be created: {e.Message}", e);
            }

            _tableReady = true;
            LogTableReady(TableName);
        }
        finally
        {
            _tableGate.Release();
        }
    }

    private static IAmazonDynamoDB CreateClient(DynamoDbCoordinationOptions options)
    {
        var config = new AmazonDynamoDBConfig
        {
            // Retries are ours: only where repeating a call is safe (DynamoDbCalls). The SDK's timeout is a
            // backstop; the request timeout of DynamoDbCalls fires first.
            MaxErrorRetry = 0,
            Timeout = options.RequestTimeout + TimeSpan.FromSeconds(1),
        };
        if (string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        else
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
        }

        return string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonDynamoDBClient(config)
            : new AmazonDynamoDBClient(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "DynamoDB table {TableName} is ACTIVE.")]
    private partial void LogTableReady(string tableName);
}
