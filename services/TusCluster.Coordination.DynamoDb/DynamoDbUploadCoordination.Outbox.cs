using Amazon.DynamoDBv2.Model;
using TusCluster.Coordination.DynamoDb.Table;
using TusCluster.Coordination.Outbox;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.DynamoDb;

/// <summary>
/// The outbox: entries are items of their own (<see cref="OutboxItems"/>), written by the lease's commit
/// in the same transaction as the record, found through the time index like expired uploads. An item that is not a
/// valid entry is taken out of the index (<see cref="OutboxItems.Unreadable"/>) and left out of the read.
/// </summary>
internal sealed partial class DynamoDbUploadCoordination : IEventOutbox
{
    /// <summary>Rounds of BatchGetItem for keys DynamoDB left unprocessed (throttling) before giving up.</summary>
    private const int UnprocessedRounds = 5;

    public async ValueTask<IReadOnlyList<OutboxEntry>> ReadDueEventsAsync(DateTimeOffset upTo, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        await EnsureTableAsync(cancellationToken);
        // Index keys are rounded up to the millisecond: an entry due within upTo's millisecond is in the
        // index one millisecond later, so the bound takes that millisecond whole and the items decide.
        var within = upTo < DateTimeOffset.MaxValue.AddMilliseconds(-1) ? upTo.AddTicks(TimeSpan.TicksPerMillisecond - 1) : upTo;
        var until = ExpiryKeys.UpperBound(within);
        var shards = await Task.WhenAll(OutboxItems.AllShards.Select(shard => ReadShardAsync(shard, until, limit, cancellationToken)));
        var due = shards.SelectMany(entries => entries)
            .OrderBy(e => e.ExpiresAt)
            .ThenBy(e => e.UploadId, StringComparer.Ordinal)
            .Take(limit)
            .Select(e => e.UploadId) // An index entry names the item: here the entry id.
            .ToArray();

        // The index is eventually consistent and KEYS_ONLY: the items say what is stored now. One
        // postponed or deleted since it was indexed is left out.
        var entries = await ReadEntriesAsync(due, cancellationToken);
        return [.. entries.Where(e => e.DueAt <= upTo).OrderBy(e => e.DueAt).ThenBy(e => e.Id, StringComparer.Ordinal)];
    }

    public async ValueTask PostponeEventAsync(OutboxEntry entry, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        OutboxEntries.Validate(entry);
        await EnsureTableAsync(cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            // ADD counts on the stored attempts, not the caller's copy; the condition never revives a deleted entry.
            await Calls.OnceAsync("an outbox postponement", token => Client.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = TableName,
                    Key = OutboxItems.Key(entry.Id),
                    UpdateExpression = "SET #due = :due, #expKey = :key ADD #attempts :one",
                    ConditionExpression = "attribute_exists(#id)",
                    ExpressionAttributeNames = UploadItem.Names(OutboxItems.Due, UploadItem.ExpiryKey, OutboxItems.Attempts, UploadItem.Id),
                    ExpressionAttributeValues = new(StringComparer.Ordinal)
                    {
                        [":due"] = OutboxItems.DueText(dueAt),
                        [":key"] = new AttributeValue { S = ExpiryKeys.SortKey(entry.Id, dueAt) },
                        [":one"] = Number(1),
                    },
                },
                token));
        }
        catch (ConditionalCheckFailedException)
        {
            // Delivered and deleted by another deliverer.
        }
    }

    public async ValueTask DeleteEventAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        OutboxEntries.Validate(entry);
        await EnsureTableAsync(cancellationToken);
        await Calls.RetriedAsync("an outbox deletion", token => Client.DeleteItemAsync(
            new DeleteItemRequest { TableName = TableName, Key = OutboxItems.Key(entry.Id) },
            token), cancellationToken);
    }

    /// <summary>Takes an unreadable item out of the index and says why on it (<see cref="OutboxItems.Unreadable"/>); once only.</summary>
    private async Task SetAsideAsync(AttributeValue key, string? problem)
    {
        try
        {
            await Calls.OnceAsync("an outbox set-aside", token => Client.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = TableName,
                    Key = new(StringComparer.Ordinal) { [UploadItem.Id] = key },
                    UpdateExpression = "SET #unreadable = :problem REMOVE #expShard, #expKey",
                    ConditionExpression = "attribute_exists(#id) AND attribute_not_exists(#unreadable)",
                    ExpressionAttributeNames = UploadItem.Names(OutboxItems.Unreadable, UploadItem.ExpiryShard, UploadItem.ExpiryKey, UploadItem.Id),
                    ExpressionAttributeValues = new(StringComparer.Ordinal) { [":problem"] = new AttributeValue { S = problem ?? "unreadable" } },
                },
                token));
        }
        catch (ConditionalCheckFailedException)
        {
            // Deleted meanwhile, or set aside by another reader, which logged it.
            return;
        }

        UnreadableOutboxEntries.SetAside(_logger, "dynamodb", $"{TableName} item {key.S}", $"{TableName} item {key.S} (attribute {OutboxItems.Unreadable}, out of the index)", problem);
    }

    /// <summary>The stored entries among <paramref name="entryIds"/>, by consistent BatchGetItem (100 keys each).</summary>
    internal async Task<List<OutboxEntry>> ReadEntriesAsync(IReadOnlyCollection<string> entryIds, CancellationToken cancellationToken)
    {
        var entries = new List<OutboxEntry>(entryIds.Count);
        foreach (var batch in entryIds.Chunk(PollBatch))
        {
            var keys = batch.Select(OutboxItems.Key).ToList();
            for (var round = 0; keys.Count > 0; round++)
            {
                if (round == UnprocessedRounds)
                {
                    throw new CoordinationUnavailableException($"DynamoDB left {keys.Count} outbox reads unprocessed {UnprocessedRounds} times.");
                }

                if (round > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(50 << round), cancellationToken);
                }

                var pending = keys;
                var response = await Calls.RetriedAsync("an outbox read", token => Client.BatchGetItemAsync(
                    new BatchGetItemRequest
                    {
                        RequestItems = new(StringComparer.Ordinal) { [TableName] = new KeysAndAttributes { Keys = pending, ConsistentRead = true } },
                    },
                    token), cancellationToken);
                foreach (var item in response.Responses?.GetValueOrDefault(TableName) ?? [])
                {
                    if (OutboxItems.TryRead(item, out var problem) is { } entry)
                    {
                        entries.Add(entry);
                    }
                    else
                    {
                        await SetAsideAsync(item[UploadItem.Id], problem);
                    }
                }

                keys = response.UnprocessedKeys?.GetValueOrDefault(TableName)?.Keys ?? [];
            }
        }

        return entries;
    }
}
