using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using TusCluster.Coordination.DynamoDb.Table;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.DynamoDb;

/// <summary>
/// A lease on one upload, kept alive by moving the lock's expiry forward every third of the TTL with an
/// UpdateItem conditional on the token. Lost fires when the lock no longer holds this lease's token, or
/// when no renewal succeeded for a whole TTL (measured from before the renewal was sent, so locally the
/// lease is given up no later than other replicas see it expire).
/// </summary>
internal sealed partial class DynamoDbUploadLease : FencedUploadLease
{
    private readonly DynamoDbUploadCoordination _owner;

    public DynamoDbUploadLease(DynamoDbUploadCoordination owner, string uploadId, long fencingToken, UploadRecord? record, long acquireSentAt)
        : base(uploadId, fencingToken, record, TimeSpan.FromMilliseconds(owner.LeaseTtlMilliseconds), acquireSentAt)
    {
        _owner = owner;
    }

    protected override async Task RemoveCoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _owner.Calls.OnceAsync("a removal", token => _owner.Client.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = _owner.TableName,
                    Key = DynamoDbUploadCoordination.Key(UploadId),
                    UpdateExpression = "REMOVE #record, #expShard, #expKey",
                    ConditionExpression = "#lockToken = :token",
                    ExpressionAttributeNames = UploadItem.Names(UploadItem.Record, UploadItem.ExpiryShard, UploadItem.ExpiryKey, UploadItem.LockToken),
                    ExpressionAttributeValues = new(StringComparer.Ordinal) { [":token"] = DynamoDbUploadCoordination.Number(FencingToken) },
                },
                token));
        }
        catch (ConditionalCheckFailedException)
        {
            MarkLost();
            throw new LeaseLostException($"The lease {FencingToken} of upload {UploadId} is no longer held; the record was not removed.");
        }
        catch (CoordinationUnavailableException e)
        {
            // The removal may or may not have happened. Find out by reading, never by sending it again.
            UploadRecord? current;
            try
            {
                current = await _owner.GetAsync(UploadId, CancellationToken.None);
            }
            catch (CoordinationUnavailableException)
            {
                throw new CoordinationUnavailableException($"The removal of upload {UploadId} under fence {FencingToken} has an unknown outcome.", e);
            }

            if (current is not null)
            {
                throw;
            }
        }
    }

    protected override async Task CommitCoreAsync(UploadRecord stored, IReadOnlyList<OutboxEntry> events, bool release, CancellationToken cancellationToken)
    {
        var json = UploadRecordJson.SerializeToString(stored);
        try
        {
            await WriteCommitAsync(CommitRequest(stored, json, release), events);
        }
        catch (ConditionalCheckFailedException)
        {
            MarkLost();
            throw new LeaseLostException($"The lease {FencingToken} of upload {UploadId} is no longer held; the commit was not stored.");
        }
        catch (CoordinationUnavailableException e)
        {
            // The update may or may not have been applied. Find out by reading, never by sending it again.
            await VerifyCommittedAsync(json, events, e);
            if (release)
            {
                await _owner.ReleaseAsync(UploadId, FencingToken);
            }
        }
    }

    /// <summary>Stores the record and moves its expiry index entry; with <paramref name="release"/> also unlocks, all in one UpdateItem.</summary>
    private UpdateItemRequest CommitRequest(UploadRecord stored, string json, bool release)
    {
        var names = UploadItem.Names(UploadItem.Record, UploadItem.LockToken, UploadItem.ExpiryShard, UploadItem.ExpiryKey);
        var values = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            [":record"] = new AttributeValue { S = json },
            [":token"] = DynamoDbUploadCoordination.Number(FencingToken),
        };
        var set = "SET #record = :record";
        var remove = new List<string>();
        if (stored.ExpiresAt is { } expiresAt)
        {
            set += ", #expShard = :shard, #expKey = :key";
            values[":shard"] = new AttributeValue { S = ExpiryKeys.Shard(UploadId) };
            values[":key"] = new AttributeValue { S = ExpiryKeys.SortKey(UploadId, expiresAt) };
        }
        else
        {
            remove.AddRange(["#expShard", "#expKey"]);
        }

        if (release)
        {
            foreach (var name in UploadItem.Names(UploadItem.LockOwner, UploadItem.LockExpires, UploadItem.HandOver))
            {
                names.Add(name.Key, name.Value);
            }

            remove.AddRange(["#lockToken", "#lockOwner", "#lockExpires", "#handOver"]);
        }

        return new UpdateItemRequest
        {
            TableName = _owner.TableName,
            Key = DynamoDbUploadCoordination.Key(UploadId),
            UpdateExpression = remove.Count == 0 ? set : $"{set} REMOVE {string.Join(", ", remove)}",
            ConditionExpression = "#lockToken = :token",
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
        };
    }

    private async Task VerifyCommittedAsync(string json, IReadOnlyList<OutboxEntry> events, CoordinationUnavailableException failure)
    {
        Dictionary<string, AttributeValue>? item;
        try
        {
            item = (await _owner.Calls.RetriedAsync("a read", token => _owner.Client.GetItemAsync(
                new GetItemRequest { TableName = _owner.TableName, Key = DynamoDbUploadCoordination.Key(UploadId), ConsistentRead = true },
                token), CancellationToken.None)).Item;
        }
        catch (CoordinationUnavailableException)
        {
            throw new CoordinationUnavailableException($"The commit of upload {UploadId} under fence {FencingToken} has an unknown outcome.", failure);
        }

        if (item is null || !item.TryGetValue(UploadItem.Record, out var stored) || !string.Equals(stored.S, json, StringComparison.Ordinal))
        {
            throw new CoordinationUnavailableException($"The commit of upload {UploadId} under fence {FencingToken} was not stored.", failure);
        }

        // The same record may have been stored by an earlier commit of this lease: the events tell.
        await VerifyEventsStoredAsync(events, failure);
    }
}
