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
internal sealed partial class DynamoDbUploadLease : IUploadLease
{
    private readonly DynamoDbUploadCoordination _owner;
    private readonly CancellationTokenSource _handOver = new();
    private readonly LeaseKeepAlive _keepAlive;
    private int _disposed;

    public DynamoDbUploadLease(DynamoDbUploadCoordination owner, string uploadId, long fencingToken, UploadRecord? record, long acquireSentAt)
    {
        _owner = owner;
        UploadId = uploadId;
        FencingToken = fencingToken;
        Record = record;
        _keepAlive = new LeaseKeepAlive(TimeSpan.FromMilliseconds(owner.LeaseTtlMilliseconds), acquireSentAt, RenewAsync);
    }

    public string UploadId { get; }

    public long FencingToken { get; }

    public UploadRecord? Record { get; private set; }

    public CancellationToken HandOverRequested => _handOver.Token;

    public CancellationToken Lost => _keepAlive.Lost;

    private bool IsReleased => Volatile.Read(ref _disposed) != 0;

    /// <summary>Test hook: stops renewing, as a paused or partitioned replica would.</summary>
    internal void PauseKeepAlive() => _keepAlive.Pause();

    public ValueTask<UploadRecord> CommitAsync(UploadRecord record, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken)
    {
        ValidateEvents(events);
        ThrowIfReleased();
        return CommitAsync(record, events, release: false, cancellationToken);
    }

    public async ValueTask<UploadRecord> CommitAndReleaseAsync(UploadRecord record, IReadOnlyList<OutboxEntry> events, CancellationToken cancellationToken)
    {
        ValidateEvents(events);
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            throw new LeaseLostException($"The lease {FencingToken} of upload {UploadId} was released.");
        }

        await StopKeepAliveAsync();
        try
        {
            var stored = await CommitAsync(record, events, release: true, cancellationToken);
            _owner.Released(UploadId);
            return stored;
        }
        catch
        {
            // The update did not release (lease lost, DynamoDB unreachable): the guarded release is harmless either way.
            await _owner.ReleaseAsync(UploadId, FencingToken);
            throw;
        }
    }

    public async ValueTask RemoveAsync(CancellationToken cancellationToken)
    {
        ThrowIfReleased();
        cancellationToken.ThrowIfCancellationRequested();
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

        Record = null;
    }

    internal void StartKeepAlive() => _keepAlive.Start();

    internal void RequestHandOver()
    {
        try
        {
            _handOver.Cancel();
        }
        catch (AggregateException)
        {
            // A callback of the holder failed; the request is still signalled.
        }
    }

    private async ValueTask<UploadRecord> CommitAsync(UploadRecord record, IReadOnlyList<OutboxEntry> events, bool release, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Id != UploadId)
        {
            throw new ArgumentException($"A lease of upload {UploadId} cannot commit upload {record.Id}.", nameof(record));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var stored = record with { Fence = FencingToken };
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

        Record = stored;
        return stored;
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

    private void ThrowIfReleased()
    {
        if (IsReleased)
        {
            throw new LeaseLostException($"The lease {FencingToken} of upload {UploadId} was released.");
        }
    }
}
