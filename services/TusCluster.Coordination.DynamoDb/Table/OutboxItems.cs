using System.Globalization;
using Amazon.DynamoDBv2.Model;
using TusCluster.Coordination.Outbox;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.DynamoDb.Table;

/// <summary>
/// One item per outbox entry in the uploads' table, keyed <c>out#&lt;entry id&gt;</c> (never an upload
/// id, which is bare hex). Its due time sits in the same two attributes as an upload's expiry, under
/// shards <c>out#0</c> ... <c>out#7</c>: the one sparse index of the table serves both, so a table
/// created before the outbox needs no new index.
/// </summary>
internal static class OutboxItems
{
    /// <summary>String: the upload the entry is about.</summary>
    public const string Upload = "upload";

    /// <summary>String: <see cref="OutboxEntry.DueAt"/> in the round-trip format (the index key is rounded to the millisecond).</summary>
    public const string Due = "due";

    /// <summary>Number: <see cref="OutboxEntry.Attempts"/>; postponing adds one where it is stored.</summary>
    public const string Attempts = "attempts";

    /// <summary>String: the payload as given.</summary>
    public const string Payload = "payload";

    /// <summary>
    /// String: why the item is not a valid entry. Set, with the index attributes removed, on an item a reader could
    /// not read: it then leaves the index, so no read finds it again, and keeps every other attribute as it was.
    /// </summary>
    public const string Unreadable = "unreadable";

    private const string Prefix = "out#";

    public static IEnumerable<string> AllShards => Enumerable.Range(0, ExpiryKeys.ShardCount).Select(ShardName);

    public static Dictionary<string, AttributeValue> Key(string entryId) =>
        new(StringComparer.Ordinal) { [UploadItem.Id] = new AttributeValue { S = Prefix + entryId } };

    public static string Shard(string entryId) => ShardName(ExpiryKeys.ShardNumber(entryId));

    public static AttributeValue DueText(DateTimeOffset dueAt) => new() { S = dueAt.ToString("O", CultureInfo.InvariantCulture) };

    public static Dictionary<string, AttributeValue> Item(OutboxEntry entry)
    {
        var item = Key(entry.Id);
        item[Upload] = new AttributeValue { S = entry.UploadId };
        item[Due] = DueText(entry.DueAt);
        item[Attempts] = DynamoDbUploadCoordination.Number(entry.Attempts);
        item[Payload] = new AttributeValue { S = entry.Payload };
        item[UploadItem.ExpiryShard] = new AttributeValue { S = Shard(entry.Id) };
        item[UploadItem.ExpiryKey] = new AttributeValue { S = ExpiryKeys.SortKey(entry.Id, entry.DueAt) };
        return item;
    }

    /// <summary>The entry an item holds, or null with the problem when it is not a valid entry (see <see cref="Unreadable"/>).</summary>
    public static OutboxEntry? TryRead(Dictionary<string, AttributeValue> item, out string? problem)
    {
        if (item.GetValueOrDefault(UploadItem.Id)?.S is { Length: > 4 } key && key.StartsWith(Prefix, StringComparison.Ordinal)
            && item.GetValueOrDefault(Upload)?.S is { } uploadId
            && DateTimeOffset.TryParseExact(item.GetValueOrDefault(Due)?.S, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dueAt)
            && int.TryParse(item.GetValueOrDefault(Attempts)?.N, NumberStyles.None, CultureInfo.InvariantCulture, out var attempts)
            && item.GetValueOrDefault(Payload)?.S is { } payload)
        {
            var entry = new OutboxEntry { Id = key[Prefix.Length..], UploadId = uploadId, DueAt = dueAt, Attempts = attempts, Payload = payload };
            problem = OutboxEntries.Malformation(entry);
            return problem is null ? entry : null;
        }

        problem = $"An attribute of {Upload}, {Due}, {Attempts}, {Payload} is missing or malformed.";
        return null;
    }

    private static string ShardName(int shard) => Prefix + shard.ToString(CultureInfo.InvariantCulture);
}
