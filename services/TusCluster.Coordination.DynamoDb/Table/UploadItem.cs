namespace TusCluster.Coordination.DynamoDb.Table;

/// <summary>
/// Attribute names of the one item kept per upload (see README.md). Expressions refer to them through
/// the <c>#name</c> placeholders of <see cref="Names"/>, since several are DynamoDB reserved words.
/// </summary>
internal static class UploadItem
{
    /// <summary>Partition key: the upload id.</summary>
    public const string Id = "id";

    /// <summary>Number: the last fencing token drawn; only ever grows and survives the record's removal.</summary>
    public const string Fence = "fence";

    /// <summary>Number: the holder's fencing token; absent while the upload is not locked.</summary>
    public const string LockToken = "lockToken";

    /// <summary>String: replica and attempt that took the lock (tells an acquire with an unknown outcome its own lock).</summary>
    public const string LockOwner = "lockOwner";

    /// <summary>Number: Unix milliseconds after which the lock is free for anyone.</summary>
    public const string LockExpires = "lockExpires";

    /// <summary>Number: Unix milliseconds of the latest request to hand over; cleared by the next acquire and by a release.</summary>
    public const string HandOver = "handOver";

    /// <summary>String: the <c>UploadRecord</c> as JSON.</summary>
    public const string Record = "record";

    /// <summary>String: partition key of the expiry index; absent when the upload never expires.</summary>
    public const string ExpiryShard = "expShard";

    /// <summary>String: sort key of the expiry index, <c>&lt;16-digit Unix ms&gt;#&lt;id&gt;</c>.</summary>
    public const string ExpiryKey = "expKey";

    public const string ExpiryIndex = "expiry";

    /// <summary>Placeholders for the given attributes; DynamoDB rejects unused ones, so each request names only what it uses.</summary>
    public static Dictionary<string, string> Names(params string[] attributes)
    {
        var names = new Dictionary<string, string>(attributes.Length, StringComparer.Ordinal);
        foreach (var attribute in attributes)
        {
            names["#" + attribute] = attribute;
        }

        return names;
    }
}
