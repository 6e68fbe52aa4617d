using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TusCluster.Coordination.DynamoDb.Table;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.DynamoDb;

/// <summary>
/// Coordination through DynamoDB: one item per upload holds its fence counter, its lock (token, owner,
/// expiry), a hand-over request and the record; a sparse global secondary index over the item's expiry
/// attributes is the expiry index. Every state change is one conditional UpdateItem.
/// </summary>
internal sealed partial class DynamoDbUploadCoordination : IUploadCoordination, IAsyncDisposable
{
    /// <summary>How often a waiting acquirer repeats its hand-over request (the holder clears it by releasing).</summary>
    private static readonly TimeSpan HandOverRepeat = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<string, DynamoDbUploadLease> _leases = new(StringComparer.Ordinal);
    private readonly ReleaseSignals _releases = new();
    private readonly ILogger<DynamoDbUploadCoordination> _logger;
    private readonly string _ownerId = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _tableGate = new(1, 1);
    private readonly Lock _pollGate = new();
    private Task? _handOverPoll;
    private long _attempts;
    private volatile bool _tableReady;
    private int _disposed;

    public DynamoDbUploadCoordination(IOptions<DynamoDbCoordinationOptions> options, ILogger<DynamoDbUploadCoordination> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Value;
        var problems = Options.Validate();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(DynamoDbCoordinationOptions.SectionName, typeof(DynamoDbCoordinationOptions), problems);
        }

        _logger = logger;
        _tableReady = !Options.CreateTable;
        TableName = Options.TableName;
        Calls = new DynamoDbCalls(Options.RequestTimeout, TableName);
        if (Options.CreateTable)
        {
            // Created again by the next operation.
            Calls.TableMissing = () => _tableReady = false;
        }
        Client = CreateClient(Options);
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
        var started = Environment.TickCount64;
        var lastHandOverRequest = (long?)null;
        var retriedAtOnce = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var released = _releases.Register(uploadId);
            try
            {
                if (await TryTakeAsync(uploadId) is { } lease)
                {
                    return lease;
                }

                var held = true;
                if (_leases.TryGetValue(uploadId, out var local))
                {
                    local.RequestHandOver();
                }
                else if (lastHandOverRequest is not { } sent || Environment.TickCount64 - sent >= HandOverRepeat.TotalMilliseconds)
                {
                    held = await RequestHandOverAsync(uploadId, cancellationToken);
                    lastHandOverRequest = Environment.TickCount64;
                }

                if (!held && !retriedAtOnce)
                {
                    // Released (or expired) between the two requests: try again without waiting, once.
                    retriedAtOnce = true;
                    continue;
                }

                retriedAtOnce = false;
                var remaining = timeout - TimeSpan.FromMilliseconds(Environment.TickCount64 - started);
                if (remaining <= TimeSpan.Zero)
                {
                    throw new LockTimeoutException($"Upload {uploadId} stayed locked for {timeout}.");
                }

                var wait = Options.HandOverPollInterval;
                try
                {
                    await released.Task.WaitAsync(remaining < wait ? remaining : wait, cancellationToken);
                }
                catch (TimeoutException)
                {
                    // A holder on another replica released (or its lock expired) without telling this one: try again.
                }
            }
            finally
            {
                _releases.Unregister(uploadId, released);
            }
        }
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

        try
        {
            return JsonSerializer.Deserialize(json, RecordJsonContext.Default.UploadRecord);
        }
        catch (JsonException e)
        {
            throw new CoordinationUnavailableException($"The record of upload {uploadId} in DynamoDB is unreadable.", e);
        }
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
        if (_handOverPoll is { } poll)
        {
            await poll;
        }

        Client.Dispose();
        _stop.Dispose();
        _tableGate.Dispose();
    }
}
