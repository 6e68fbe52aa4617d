using Amazon.DynamoDBv2.Model;
using TusCluster.Coordination.DynamoDb.Table;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.DynamoDb;

/// <summary>Renewal, loss and release of the lease.</summary>
internal sealed partial class DynamoDbUploadLease
{
    protected override async Task<LeaseRenewal> RenewAsync(CancellationToken stop)
    {
        var ttl = _owner.LeaseTtlMilliseconds;
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
            return LeaseRenewal.Renewed;
        }
        catch (ConditionalCheckFailedException)
        {
            return LeaseRenewal.NotHeld;
        }
        catch (CoordinationUnavailableException)
        {
            return LeaseRenewal.Unreachable;
        }
        catch (ObjectDisposedException)
        {
            // The coordination was disposed under this lease.
            return LeaseRenewal.NotHeld;
        }
    }

    protected override Task ReleaseAsync() => _owner.ReleaseAsync(UploadId, FencingToken);

    protected override void OnReleased() => _owner.Released(UploadId);

    protected override void Forget() => _owner.Forget(this);
}
