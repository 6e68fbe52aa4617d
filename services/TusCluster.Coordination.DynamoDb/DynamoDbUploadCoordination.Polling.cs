using System.Globalization;
using Amazon.DynamoDBv2.Model;
using TusCluster.Coordination.DynamoDb.Table;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.DynamoDb;

/// <summary>The hand-over poll of this replica's leases, and the expiry index.</summary>
internal sealed partial class DynamoDbUploadCoordination
{
    /// <summary>Keys per BatchGetItem (the DynamoDB maximum).</summary>
    private const int PollBatch = 100;

    /// <summary>Entries per Query page of the expiry index.</summary>
    private const int ExpiryPage = 1000;

    /// <summary>
    /// One look at the hand-over attributes of every lease held here (run by <see cref="HandOverPoll"/> while there
    /// are any): one BatchGetItem per 100 leases; signals the leases someone asked to hand over.
    /// </summary>
    private async Task PollHandOversAsync(CancellationToken stop)
    {
        foreach (var batch in _leases.Keys.Chunk(PollBatch))
        {
            await PollAsync(batch, stop);
        }
    }

    private async Task PollAsync(string[] uploadIds, CancellationToken stop)
    {
        var response = await Calls.RetriedAsync("a hand-over poll", token => Client.BatchGetItemAsync(
            new BatchGetItemRequest
            {
                RequestItems = new(StringComparer.Ordinal)
                {
                    [TableName] = new KeysAndAttributes
                    {
                        Keys = [.. uploadIds.Select(Key)],
                        ConsistentRead = true,
                        ProjectionExpression = $"#{UploadItem.Id}, #{UploadItem.LockToken}, #{UploadItem.HandOver}",
                        ExpressionAttributeNames = UploadItem.Names(UploadItem.Id, UploadItem.LockToken, UploadItem.HandOver),
                    },
                },
            },
            token), stop);

        // Unprocessed keys (throttling) are simply read at the next poll.
        foreach (var item in response.Responses?.GetValueOrDefault(TableName) ?? [])
        {
            if (item.ContainsKey(UploadItem.HandOver)
                && item.TryGetValue(UploadItem.Id, out var id) && id.S is { } uploadId
                && item.TryGetValue(UploadItem.LockToken, out var token)
                && long.TryParse(token.N, NumberStyles.None, CultureInfo.InvariantCulture, out var fencingToken)
                && _leases.TryGetValue(uploadId, out var lease)
                && lease.FencingToken == fencingToken)
            {
                lease.RequestHandOver();
            }
        }
    }

    private async Task<List<ExpiryEntry>> ReadShardAsync(string shard, string until, int limit, CancellationToken cancellationToken)
    {
        var entries = new List<ExpiryEntry>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = Math.Min(limit - entries.Count, ExpiryPage);
            var from = start;
            var response = await Calls.RetriedAsync("an expiry index read", token => Client.QueryAsync(
                new QueryRequest
                {
                    TableName = TableName,
                    IndexName = UploadItem.ExpiryIndex,
                    KeyConditionExpression = "#expShard = :shard AND #expKey < :until",
                    ExpressionAttributeNames = UploadItem.Names(UploadItem.ExpiryShard, UploadItem.ExpiryKey),
                    ExpressionAttributeValues = new(StringComparer.Ordinal)
                    {
                        [":shard"] = new AttributeValue { S = shard },
                        [":until"] = new AttributeValue { S = until },
                    },
                    ScanIndexForward = true,
                    Limit = page,
                    ExclusiveStartKey = from,
                },
                token), cancellationToken);
            foreach (var item in response.Items ?? [])
            {
                if (item.TryGetValue(UploadItem.ExpiryKey, out var key) && ExpiryKeys.TryParse(key.S, out var entry))
                {
                    entries.Add(entry);
                }
            }

            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null && entries.Count < limit);

        return entries;
    }
}
