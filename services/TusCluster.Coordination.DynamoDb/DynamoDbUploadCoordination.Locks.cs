using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using TusCluster.Coordination.DynamoDb.Table;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.DynamoDb;

/// <summary>Taking, releasing and handing over locks.</summary>
internal sealed partial class DynamoDbUploadCoordination
{
    private const string TakeExpression =
        "SET #fence = if_not_exists(#fence, :zero) + :one, #lockToken = if_not_exists(#fence, :zero) + :one, "
        + "#lockOwner = :owner, #lockExpires = :expires REMOVE #handOver";

    private const string ReleaseExpression = "REMOVE #lockToken, #lockOwner, #lockExpires, #handOver";

    /// <summary>
    /// One conditional UpdateItem: free (or expired) → draw the next fence, lock with it and return the
    /// item, record included. Null when the upload is held.
    /// </summary>
    private async Task<DynamoDbUploadLease?> TryTakeAsync(string uploadId)
    {
        var owner = $"{_ownerId}#{Interlocked.Increment(ref _attempts).ToString(CultureInfo.InvariantCulture)}";
        var sentAt = Environment.TickCount64;
        var now = NowMilliseconds();
        UpdateItemResponse response;
        try
        {
            response = await Calls.OnceAsync("an acquire", token => Client.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = TableName,
                    Key = Key(uploadId),
                    UpdateExpression = TakeExpression,
                    ConditionExpression = "attribute_not_exists(#lockToken) OR #lockExpires < :now",
                    ExpressionAttributeNames = UploadItem.Names(UploadItem.Fence, UploadItem.LockToken, UploadItem.LockOwner, UploadItem.LockExpires, UploadItem.HandOver),
                    ExpressionAttributeValues = new(StringComparer.Ordinal)
                    {
                        [":zero"] = Number(0),
                        [":one"] = Number(1),
                        [":owner"] = new AttributeValue { S = owner },
                        [":expires"] = Number(now + LeaseTtlMilliseconds),
                        [":now"] = Number(now),
                    },
                    ReturnValues = ReturnValue.ALL_NEW,
                },
                token));
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
        catch (CoordinationUnavailableException)
        {
            // The lock may have been taken by this attempt: let go of it if so, without waiting.
            Abandon(uploadId, owner);
            throw;
        }

        var item = response.Attributes ?? [];
        var fencingToken = long.Parse(item[UploadItem.LockToken].N, NumberStyles.None, CultureInfo.InvariantCulture);
        UploadRecord? record;
        try
        {
            record = Deserialize(uploadId, item);
            if (record is not null && record.Fence >= fencingToken)
            {
                // The record carries a fence the counter never drew (imported, or the counter was reset).
                fencingToken = await LiftFenceAsync(uploadId, owner, fencingToken, record.Fence + 1);
            }
        }
        catch (CoordinationUnavailableException)
        {
            Abandon(uploadId, owner);
            throw;
        }

        var lease = new DynamoDbUploadLease(this, uploadId, fencingToken, record, sentAt);
        _leases[uploadId] = lease;
        lease.StartKeepAlive();
        _handOverPoll.Start();
        return lease;
    }

    private async Task<long> LiftFenceAsync(string uploadId, string owner, long drawn, long lifted)
    {
        try
        {
            await Calls.OnceAsync("an acquire", token => Client.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = TableName,
                    Key = Key(uploadId),
                    UpdateExpression = "SET #fence = :lifted, #lockToken = :lifted",
                    ConditionExpression = "#lockToken = :drawn AND #lockOwner = :owner",
                    ExpressionAttributeNames = UploadItem.Names(UploadItem.Fence, UploadItem.LockToken, UploadItem.LockOwner),
                    ExpressionAttributeValues = new(StringComparer.Ordinal)
                    {
                        [":lifted"] = Number(lifted),
                        [":drawn"] = Number(drawn),
                        [":owner"] = new AttributeValue { S = owner },
                    },
                },
                token));
            return lifted;
        }
        catch (ConditionalCheckFailedException e)
        {
            throw new CoordinationUnavailableException($"The lock of upload {uploadId} changed while its fence was lifted.", e);
        }
    }

    /// <summary>Sets the hand-over attribute while the upload is locked; false when it is free (or expired).</summary>
    private async Task<bool> RequestRemoteHandOverAsync(string uploadId, CancellationToken cancellationToken)
    {
        var now = NowMilliseconds();
        try
        {
            await Calls.RetriedAsync("a hand-over request", token => Client.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = TableName,
                    Key = Key(uploadId),
                    UpdateExpression = "SET #handOver = :now",
                    ConditionExpression = "attribute_exists(#lockToken) AND #lockExpires >= :now",
                    ExpressionAttributeNames = UploadItem.Names(UploadItem.HandOver, UploadItem.LockToken, UploadItem.LockExpires),
                    ExpressionAttributeValues = new(StringComparer.Ordinal) { [":now"] = Number(now) },
                },
                token), cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    /// <summary>Removes the lock if it still holds <paramref name="fencingToken"/> (best effort) and wakes local waiters.</summary>
    internal async Task ReleaseAsync(string uploadId, long fencingToken)
    {
        try
        {
            await Calls.RetriedAsync("a release", token => Client.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = TableName,
                    Key = Key(uploadId),
                    UpdateExpression = ReleaseExpression,
                    ConditionExpression = "#lockToken = :token",
                    ExpressionAttributeNames = UploadItem.Names(UploadItem.LockToken, UploadItem.LockOwner, UploadItem.LockExpires, UploadItem.HandOver),
                    ExpressionAttributeValues = new(StringComparer.Ordinal) { [":token"] = Number(fencingToken) },
                },
                token), CancellationToken.None);
        }
        catch (ConditionalCheckFailedException)
        {
            // Not (or no longer) this lease's lock.
        }
        catch (Exception e) when (e is CoordinationUnavailableException or ObjectDisposedException)
        {
            // DynamoDB is unreachable (or the coordination is gone): the lock expires by itself after the TTL.
        }

        Released(uploadId);
    }

    /// <summary>Wakes the acquirers of this replica waiting for the upload.</summary>
    internal void Released(string uploadId) => _releases.Signal(uploadId);

    internal void Forget(DynamoDbUploadLease lease) =>
        _leases.TryRemove(new KeyValuePair<string, DynamoDbUploadLease>(lease.UploadId, lease));

    /// <summary>
    /// Lets go of a lock an attempt with an unknown outcome may hold, identified by the attempt's owner
    /// value. Keeps trying for one TTL (a request stalled in the network may still be applied meanwhile);
    /// after that the lock has expired anyway.
    /// </summary>
    private void Abandon(string uploadId, string owner)
    {
        _ = Task.Run(async () =>
        {
            var started = Environment.TickCount64;
            while (Environment.TickCount64 - started < LeaseTtlMilliseconds && !_stop.IsCancellationRequested)
            {
                try
                {
                    await Calls.RetriedAsync("an abandoned acquire", token => Client.UpdateItemAsync(
                        new UpdateItemRequest
                        {
                            TableName = TableName,
                            Key = Key(uploadId),
                            UpdateExpression = ReleaseExpression,
                            ConditionExpression = "#lockOwner = :owner",
                            ExpressionAttributeNames = UploadItem.Names(UploadItem.LockToken, UploadItem.LockOwner, UploadItem.LockExpires, UploadItem.HandOver),
                            ExpressionAttributeValues = new(StringComparer.Ordinal) { [":owner"] = new AttributeValue { S = owner } },
                        },
                        token), _stop.Token);
                    Released(uploadId);
                    return;
                }
                catch (ConditionalCheckFailedException)
                {
                    // Not taken by that attempt, or not yet: a stalled request may still arrive.
                }
                catch (Exception e) when (e is CoordinationUnavailableException or OperationCanceledException or ObjectDisposedException)
                {
                    // Unreachable, or disposed: try again below, or give up.
                }

                try
                {
                    await Task.Delay(Options.HandOverPollInterval * 2, _stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
                {
                    return;
                }
            }
        });
    }
}
