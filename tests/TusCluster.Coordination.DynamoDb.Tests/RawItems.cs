using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace TusCluster.Coordination.DynamoDb.Tests;

/// <summary>Reads and writes an upload's item behind the coordination's back, as an operator or a bug would.</summary>
internal static class RawItems
{
    public static async Task<Dictionary<string, AttributeValue>> GetAsync(DynamoDbUploadCoordination coordination, string id) =>
        (await coordination.Client.GetItemAsync(
            new GetItemRequest { TableName = coordination.TableName, Key = Key(id), ConsistentRead = true },
            TestContext.Current.CancellationToken)).Item ?? [];

    public static async Task SetAsync(DynamoDbUploadCoordination coordination, string id, string attribute, AttributeValue value) =>
        await coordination.Client.UpdateItemAsync(
            new UpdateItemRequest
            {
                TableName = coordination.TableName,
                Key = Key(id),
                UpdateExpression = "SET #a = :v",
                ExpressionAttributeNames = new() { ["#a"] = attribute },
                ExpressionAttributeValues = new() { [":v"] = value },
            },
            TestContext.Current.CancellationToken);

    public static async Task RemoveAsync(DynamoDbUploadCoordination coordination, string id, string attribute) =>
        await coordination.Client.UpdateItemAsync(
            new UpdateItemRequest
            {
                TableName = coordination.TableName,
                Key = Key(id),
                UpdateExpression = "REMOVE #a",
                ExpressionAttributeNames = new() { ["#a"] = attribute },
            },
            TestContext.Current.CancellationToken);

    public static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static Dictionary<string, AttributeValue> Key(string id) => new() { ["id"] = new AttributeValue { S = id } };
}
