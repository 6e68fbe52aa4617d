using System.Globalization;
using System.Text;
using Google.Protobuf;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Etcd.Keys;

/// <summary>
/// The keys under the configured prefix: <c>locks/&lt;id&gt;</c> (attached to the replica's etcd lease; its
/// create revision is the fencing token), <c>records/&lt;id&gt;</c> (the record as JSON),
/// <c>handover/&lt;id&gt;</c> (written by a request that wants a held upload; the holder's replica watches
/// the prefix), <c>expiry/&lt;16-digit Unix ms&gt;/&lt;id&gt;</c> (the expiry index, in time order by key)
/// and <c>outbox/&lt;16-digit Unix ms&gt;/&lt;entry id&gt;</c> (an undelivered event as JSON, in due order by key;
/// one that cannot be read is moved to <c>outbox-unreadable/</c> with the rest of its key).
/// </summary>
internal sealed class EtcdKeys(string prefix)
{
    internal const long MaxMilliseconds = 9_999_999_999_999_999;

    public string Prefix { get; } = prefix;

    public ByteString Lock(string uploadId) => Key("locks/", uploadId);

    public ByteString Record(string uploadId) => Key("records/", uploadId);

    public ByteString HandOver(string uploadId) => Key("handover/", uploadId);

    public ByteString HandOverPrefix => ByteString.CopyFromUtf8(Prefix + "handover/");

    public ByteString ExpiryPrefix => ByteString.CopyFromUtf8(Prefix + "expiry/");

    public ByteString Expiry(string uploadId, DateTimeOffset expiresAt) => TimeKey("expiry/", expiresAt, uploadId);

    /// <summary>The first expiry key after every entry due at or before <paramref name="upTo"/>.</summary>
    public ByteString ExpiryEnd(DateTimeOffset upTo) => TimeKeyEnd("expiry/", upTo);

    public ByteString OutboxPrefix => ByteString.CopyFromUtf8(Prefix + "outbox/");

    /// <summary>The key of an outbox entry: found again from the entry alone (its id and due time).</summary>
    public ByteString Outbox(string entryId, DateTimeOffset dueAt) => TimeKey("outbox/", dueAt, entryId);

    /// <summary>
    /// Where an outbox entry no reader can parse is kept for an operator: the same key with <c>outbox-unreadable/</c>
    /// for <c>outbox/</c>, outside every outbox range read.
    /// </summary>
    public ByteString UnreadableOutbox(ByteString outboxKey) =>
        ByteString.CopyFrom([.. UnreadableOutboxPrefix.Span, .. outboxKey.Span[OutboxPrefix.Length..]]);

    public ByteString UnreadableOutboxPrefix => ByteString.CopyFromUtf8(Prefix + "outbox-unreadable/");

    /// <summary>The first outbox key after every entry due at or before <paramref name="upTo"/>.</summary>
    public ByteString OutboxEnd(DateTimeOffset upTo) => TimeKeyEnd("outbox/", upTo);

    /// <summary>The upload id in a key under <paramref name="kindPrefix"/>, or null for a key that is not one.</summary>
    public static string? IdAfter(ByteString key, ByteString kindPrefix)
    {
        if (key.Length <= kindPrefix.Length || !key.Span.StartsWith(kindPrefix.Span))
        {
            return null;
        }

        var id = Encoding.UTF8.GetString(key.Span[kindPrefix.Length..]);
        return UploadId.IsValid(id) ? id : null;
    }

    /// <summary>The first key after every key that starts with <paramref name="prefix"/>.</summary>
    public static ByteString RangeEndOf(ByteString prefix)
    {
        var end = prefix.ToByteArray();
        for (var i = end.Length - 1; i >= 0; i--)
        {
            if (end[i] < 0xff)
            {
                end[i]++;
                return ByteString.CopyFrom(end, 0, i + 1);
            }
        }

        return ByteString.CopyFrom(0);
    }

    internal static string Pad(long milliseconds) => milliseconds.ToString("D16", CultureInfo.InvariantCulture);

    private static long FloorMilliseconds(DateTimeOffset time) => Math.Clamp(time.ToUnixTimeMilliseconds(), 0, MaxMilliseconds);

    private static long CeilingMilliseconds(DateTimeOffset time)
    {
        var floor = time.ToUnixTimeMilliseconds();
        var ceiling = DateTimeOffset.FromUnixTimeMilliseconds(floor) < time ? floor + 1 : floor;
        return Math.Clamp(ceiling, 0, MaxMilliseconds);
    }

    // A time key rounds up to the millisecond, so nothing is reported before its time.
    private ByteString TimeKey(string kind, DateTimeOffset time, string id) =>
        UploadId.IsValid(id)
            ? ByteString.CopyFromUtf8($"{Prefix}{kind}{Pad(CeilingMilliseconds(time))}/{id}")
            : throw new ArgumentException($"'{id}' is not an id.", nameof(id));

    private ByteString TimeKeyEnd(string kind, DateTimeOffset upTo) =>
        ByteString.CopyFromUtf8($"{Prefix}{kind}{Pad(Math.Min(FloorMilliseconds(upTo), MaxMilliseconds - 1) + 1)}");

    private ByteString Key(string kind, string uploadId) =>
        UploadId.IsValid(uploadId)
            ? ByteString.CopyFromUtf8(Prefix + kind + uploadId)
            : throw new ArgumentException($"'{uploadId}' is not an upload id.", nameof(uploadId));
}
