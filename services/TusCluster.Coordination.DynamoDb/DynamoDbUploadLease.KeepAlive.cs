using Amazon.DynamoDBv2.Model;
using TusCluster.Coordination.DynamoDb.Table;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.DynamoDb;

/// <summary>Renewal, loss and release of the lease.</summary>
internal sealed partial class DynamoDbUploadLease
{
    private async Task KeepAliveAsync()
    {
        var ttl = _owner.LeaseTtlMilliseconds;
        var interval = Math.Max(1, ttl / 3);
        var nextRenewal = Volatile.Read(ref _lastRenewedAt) + interval;
        var stop = _stopKeepAlive.Token;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var now = Environment.TickCount64;
                var lostAt = Volatile.Read(ref _lastRenewedAt) + ttl;
                if (now >= lostAt)
                {
                    MarkLost();
                    return;
                }

                var wakeAt = _keepAlivePaused ? lostAt : Math.Min(nextRenewal, lostAt);
                if (wakeAt > now)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(wakeAt - now), stop);
                    continue;
                }

                nextRenewal = now + interval;
                if (!await RenewAsync(ttl, stop))
                {
                    MarkLost();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Released.
        }
    }

    /// <summary>False when the lock no longer holds this lease's token; a failure to reach DynamoDB only delays.</summary>
    private async Task<bool> RenewAsync(long ttl, CancellationToken stop)
    {
        var sentAt = Environment.TickCount64;
        var now = DynamoDbUploadCoordination.NowMilliseconds();
        try
        {
            // Setting the same expiry twice changes nothing, so a renewal may be retried.
            await _owner.Calls.RetriedAsync("a renewal", token => _owner.Client.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = _owner.TableName,
                    Key = DynamoDbUploadCoordination.Key(UploadId),
                    UpdateExpression = "SET #lockExpires = :expires",
                    ConditionExpression = "#lockToken = :token",
                    ExpressionAttributeNames = UploadItem.Names(UploadItem.LockExpires, UploadItem.LockToken),
                    ExpressionAttributeValues = new(StringComparer.Ordinal)
                    {
                        [":expires"] = DynamoDbUploadCoordination.Number(now + ttl),
                        [":token"] = DynamoDbUploadCoordination.Number(FencingToken),
                    },
                },
                token), stop);
            Volatile.Write(ref _lastRenewedAt, sentAt);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
        catch (CoordinationUnavailableException)
        {
            // Tried again at the next interval; the TTL check gives up in time.
            return true;
        }
        catch (ObjectDisposedException)
        {
            // The coordination was disposed under this lease.
            return false;
        }
    }

    private void MarkLost()
    {
        try
        {
            _lost.Cancel();
        }
        catch (AggregateException)
        {
            // A callback of the holder failed; the loss is still signalled.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopKeepAliveAsync();
        await _owner.ReleaseAsync(UploadId, FencingToken);
        _stopKeepAlive.Dispose();
    }

    private async Task StopKeepAliveAsync()
    {
        await _stopKeepAlive.CancelAsync();
        await _keepAlive;
        _owner.Forget(this);
    }
}
