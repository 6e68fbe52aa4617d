using System.Collections.Concurrent;
using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TusCluster.Coordination.DynamoDb.Table;
using TusCluster.Coordination.Outbox;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.DynamoDb;

/// <summary>
/// Coordination through DynamoDB: one item per upload holds its fence counter, its lock (token, owner,
/// expiry), a hand-over request and the record; a sparse global secondary index over the item's expiry
/// attributes is the expiry index. Every state change is one conditional UpdateItem, except a commit
/// with events: one TransactWriteItems of that update and an item per event (the outbox).
/// </summary>
internal sealed partial class DynamoDbUploadCoordination : IUploadLockSteps<DynamoDbLockHolder>, IUploadCoordination, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, DynamoDbUploadLease> _leases = new(StringComparer.Ordinal);
    private readonly ReleaseSignals _releases = new();
    private readonly ILogger<DynamoDbUploadCoordination> _logger;
    private readonly string _ownerId = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _tableGate = new(1, 1);
    private readonly HandOverPoll _handOverPoll;
    private long _attempts;
    private volatile bool _tableReady;
    private int _disposed;

    public DynamoDbUploadCoordination(IOptions<DynamoDbCoordinationOptions> options, ILogger<DynamoDbUploadCoordination> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Value;
        _logger = logger;
        UnreadableOutboxEntries.Track("dynamodb");
        _tableReady = !Options.CreateTable;
        TableName = Options.TableName;
        Calls = new DynamoDbCalls(Options.RequestTimeout, TableName);
        if (Options.CreateTable)
        {
            // Created again by the next operation.
            Calls.TableMissing = () => _tableReady = false;
        }
        Client = CreateClient(Options);
        _handOverPoll = new HandOverPoll(Options.HandOverPollInterval, () => !_leases.IsEmpty, PollHandOversAsync, LogPollFailed);
    }

    internal DynamoDbCoordinationOptions Options { get; }

    internal string TableName { get; }

    internal IAmazonDynamoDB Client { get; }

    internal DynamoDbCalls Calls { get; }

    internal long LeaseTtlMilliseconds => (long)Options.LeaseTtl.TotalMilliseconds;

    public async ValueTask<UploadRecord?> GetAsync(string uploadId, CancellationToken cancellationToken)
    {
        RequireId(uploadId);
        await EnsureTableAsync(cancellationToken);
        var response = await Calls.RetriedAsync(
            "a read",
            token => Client.GetItemAsync(
                new GetItemRequest
                {
                    TableName = TableName,
                    Key = Key(uploadId),
                    ConsistentRead = true,
                    ProjectionExpression = "#" + UploadItem.Record,
                    ExpressionAttributeNames = UploadItem.Names(UploadItem.Record),
                },
                token),
            cancellationToken);
        return Deserialize(uploadId, response.Item);
    }

    public async ValueTask<IUploadLease> AcquireAsync(string uploadId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        RequireId(uploadId);
        await EnsureTableAsync(cancellationToken);
        return await UploadLockLoop.AcquireAsync(this, uploadId, timeout, cancellationToken);
    }

    public async ValueTask<IReadOnlyList<ExpiryEntry>> ReadExpiredAsync(DateTimeOffset upTo, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        await EnsureTableAsync(cancellationToken);
        var until = ExpiryKeys.UpperBound(upTo);
        var shards = await Task.WhenAll(ExpiryKeys.AllShards.Select(shard => ReadShardAsync(shard, until, limit, cancellationToken)));
        return [.. shards.SelectMany(entries => entries)
            .OrderBy(e => e.ExpiresAt)
            .ThenBy(e => e.UploadId, StringComparer.Ordinal)
            .Take(limit)];
    }

    internal static Dictionary<string, AttributeValue> Key(string uploadId) => new(StringComparer.Ordinal) { [UploadItem.Id] = new AttributeValue { S = uploadId } };

    internal static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    internal static long NowMilliseconds() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    internal static UploadRecord? Deserialize(string uploadId, Dictionary<string, AttributeValue>? item)
    {
        if (item is null || !item.TryGetValue(UploadItem.Record, out var value) || value.S is not { } json)
        {
            return null;
        }

        return UploadRecordJson.Deserialize(uploadId, json, "DynamoDB");
    }

    private static void RequireId(string uploadId)
    {
        if (!UploadId.IsValid(uploadId))
        {
            throw new ArgumentException($"'{uploadId}' is not an upload id.", nameof(uploadId));
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reading hand-over requests failed; trying again at the next poll.")]
    private partial void LogPollFailed(Exception exception);

    public async ValueTask DisposeAsync()
    {
        // The container may dispose it twice: as itself and as IUploadCoordination.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var lease in _leases.Values)
        {
            await lease.DisposeAsync();
        }

        await _stop.CancelAsync();
        await _handOverPoll.DisposeAsync();

        Client.Dispose();
        _stop.Dispose();
        _tableGate.Dispose();
    }
}
