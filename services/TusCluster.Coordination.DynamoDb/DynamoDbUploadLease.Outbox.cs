using Amazon.DynamoDBv2.Model;
using TusCluster.Coordination.DynamoDb.Table;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.DynamoDb;

/// <summary>
/// A commit with events: the record's conditional update and a Put per event in one TransactWriteItems,
/// so a refused condition stores neither. Without events the commit stays the single UpdateItem.
/// </summary>
internal sealed partial class DynamoDbUploadLease
{
    /// <summary>Sends of a transaction DynamoDB cancelled for a conflict (nothing was written) before giving up.</summary>
    private const int ConflictAttempts = 3;

    private const string ConditionFailed = "ConditionalCheckFailed";

    /// <summary>
    /// Events passed the kit's checks (<see cref="FencedUploadLease"/>): at most <see cref="OutboxEntry.MaxPerCommit"/>
    /// entries with distinct ids. A transaction holds at most 100 actions and 4 MB; 16 entries of the largest payload
    /// (64 KB) plus a record of the largest item (400 KB) stay well below both, and one transaction cannot touch an
    /// item twice.
    /// </summary>
    /// <exception cref="ConditionalCheckFailedException">The lock no longer holds this lease's token; nothing was written.</exception>
    private async Task WriteCommitAsync(UpdateItemRequest commit, IReadOnlyList<OutboxEntry> events)
    {
        if (events.Count == 0)
        {
            await _owner.Calls.OnceAsync("a commit", token => _owner.Client.UpdateItemAsync(commit, token));
            return;
        }

        var request = new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new TransactWriteItem
                {
                    Update = new Update
                    {
                        TableName = commit.TableName,
                        Key = commit.Key,
                        UpdateExpression = commit.UpdateExpression,
                        ConditionExpression = commit.ConditionExpression,
                        ExpressionAttributeNames = commit.ExpressionAttributeNames,
                        ExpressionAttributeValues = commit.ExpressionAttributeValues,
                    },
                },
                .. events.Select(entry => new TransactWriteItem { Put = new Put { TableName = _owner.TableName, Item = OutboxItems.Item(entry) } }),
            ],
        };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _owner.Calls.OnceAsync("a commit with events", token => _owner.Client.TransactWriteItemsAsync(request, token));
                return;
            }
            catch (TransactionCanceledException e) when (e.CancellationReasons is [{ Code: ConditionFailed }, ..])
            {
                throw new ConditionalCheckFailedException(e.Message, e);
            }
            catch (TransactionCanceledException e)
            {
                // Cancelled as a whole for a conflict or throttling: nothing was written, so sending it again is safe.
                if (attempt == ConflictAttempts)
                {
                    var reasons = string.Join(", ", (e.CancellationReasons ?? []).Select(r => r.Code));
                    throw new CoordinationUnavailableException($"DynamoDB cancelled the commit of upload {UploadId} {attempt} times ({reasons}).", e);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt));
            }
        }
    }

    /// <exception cref="CoordinationUnavailableException">An event is missing (the transaction was not applied), or it cannot be told.</exception>
    private async Task VerifyEventsStoredAsync(IReadOnlyList<OutboxEntry> events, CoordinationUnavailableException failure)
    {
        if (events.Count == 0)
        {
            return;
        }

        List<OutboxEntry> stored;
        try
        {
            stored = await _owner.ReadEntriesAsync([.. events.Select(e => e.Id)], CancellationToken.None);
        }
        catch (CoordinationUnavailableException)
        {
            throw new CoordinationUnavailableException($"The commit of upload {UploadId} under fence {FencingToken} has an unknown outcome.", failure);
        }

        // A deliverer may have delivered and deleted one already; then the caller's retry delivers it twice (at least once).
        if (stored.Count != events.Count)
        {
            throw new CoordinationUnavailableException($"The commit of upload {UploadId} under fence {FencingToken} was not stored.", failure);
        }
    }
}
