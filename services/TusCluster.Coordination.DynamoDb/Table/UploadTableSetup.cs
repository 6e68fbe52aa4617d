using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace TusCluster.Coordination.DynamoDb.Table;

/// <summary>Creates the table with its expiry index when it is missing, and waits until both are ACTIVE.</summary>
internal static class UploadTableSetup
{
    private static readonly TimeSpan StatusPoll = TimeSpan.FromMilliseconds(100);

    public static CreateTableRequest Definition(string tableName) => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            new AttributeDefinition(UploadItem.Id, ScalarAttributeType.S),
            new AttributeDefinition(UploadItem.ExpiryShard, ScalarAttributeType.S),
            new AttributeDefinition(UploadItem.ExpiryKey, ScalarAttributeType.S),
        ],
        KeySchema = [new KeySchemaElement(UploadItem.Id, KeyType.HASH)],
        GlobalSecondaryIndexes =
        [
            new GlobalSecondaryIndex
            {
                IndexName = UploadItem.ExpiryIndex,
                KeySchema = [new KeySchemaElement(UploadItem.ExpiryShard, KeyType.HASH), new KeySchemaElement(UploadItem.ExpiryKey, KeyType.RANGE)],
                Projection = new Projection { ProjectionType = ProjectionType.KEYS_ONLY },
            },
        ],
    };

    public static async Task EnsureAsync(IAmazonDynamoDB client, string tableName, CancellationToken cancellationToken)
    {
        if (await StatusAsync(client, tableName, cancellationToken) is null)
        {
            try
            {
                await client.CreateTableAsync(Definition(tableName), cancellationToken);
            }
            catch (ResourceInUseException)
            {
                // Another replica is creating it at the same time.
            }
        }

        while (await StatusAsync(client, tableName, cancellationToken) is not { } table || !IsActive(table))
        {
            await Task.Delay(StatusPoll, cancellationToken);
        }
    }

    private static bool IsActive(TableDescription table) =>
        table.TableStatus == TableStatus.ACTIVE
        && (table.GlobalSecondaryIndexes ?? []).All(index => index.IndexStatus == IndexStatus.ACTIVE);

    private static async Task<TableDescription?> StatusAsync(IAmazonDynamoDB client, string tableName, CancellationToken cancellationToken)
    {
        try
        {
            return (await client.DescribeTableAsync(new DescribeTableRequest { TableName = tableName }, cancellationToken)).Table;
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
    }
}
