using System.Globalization;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.DynamoDb.Table;

/// <summary>
/// Keys of the expiry index. Uploads are spread over a fixed number of shards (the partition key), so
/// no single index partition takes every write; within a shard the sort key orders by time, then id.
/// Reading what expired queries every shard up to a bound and merges: the cost grows with what expired.
/// </summary>
internal static class ExpiryKeys
{
    /// <summary>Fixed forever: changing it would strand index entries in shards nobody queries.</summary>
    public const int ShardCount = 8;

    private const long MaxMilliseconds = 9_999_999_999_999_999;

    private static readonly long MaxRepresentable = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    public static IEnumerable<string> AllShards => Enumerable.Range(0, ShardCount).Select(ShardName);

    public static string Shard(string uploadId) => ShardName(ShardNumber(uploadId));

    /// <summary>0 to <see cref="ShardCount"/> - 1; the outbox index spreads its entries the same way (<see cref="OutboxItems"/>).</summary>
    public static int ShardNumber(string id)
    {
        // FNV-1a: stable across processes and versions, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var c in id)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % ShardCount);
    }

    /// <summary>Rounds up to the millisecond, so an upload is never reported before it expired.</summary>
    public static string SortKey(string uploadId, DateTimeOffset expiresAt) => $"{Pad(CeilingMilliseconds(expiresAt))}#{uploadId}";

    /// <summary>Every sort key of an entry at or before <paramref name="upTo"/> is below this.</summary>
    public static string UpperBound(DateTimeOffset upTo) => Pad(Math.Min(Math.Clamp(upTo.ToUnixTimeMilliseconds(), 0, MaxMilliseconds), MaxMilliseconds - 1) + 1);

    public static bool TryParse(string? sortKey, out ExpiryEntry entry)
    {
        entry = default;
        if (sortKey is null || sortKey.Length != 16 + 1 + UploadId.Length || sortKey[16] != '#'
            || !long.TryParse(sortKey.AsSpan(0, 16), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            || ms > MaxRepresentable || !UploadId.IsValid(sortKey.AsSpan(17)))
        {
            return false;
        }

        entry = new ExpiryEntry(sortKey[17..], DateTimeOffset.FromUnixTimeMilliseconds(ms));
        return true;
    }

    private static string ShardName(int shard) => "exp#" + shard.ToString(CultureInfo.InvariantCulture);

    private static long CeilingMilliseconds(DateTimeOffset time)
    {
        var floor = time.ToUnixTimeMilliseconds();
        var ceiling = DateTimeOffset.FromUnixTimeMilliseconds(floor) < time ? floor + 1 : floor;
        return Math.Clamp(ceiling, 0, MaxMilliseconds);
    }

    private static string Pad(long milliseconds) => milliseconds.ToString("D16", CultureInfo.InvariantCulture);
}
