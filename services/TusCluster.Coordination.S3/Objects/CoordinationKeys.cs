using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.S3;

/// <summary>
/// The key layout under the configured prefix. Every id in a key has been validated as an upload or event id
/// (32 lowercase hex characters), so no key can leave its prefix.
/// <list type="bullet">
/// <item><c>uploads/{id}</c>: the upload's document (fence, lease, record, undelivered events).</item>
/// <item><c>handover/{id}/{fence}</c>: a request that the holder of that fence hand the upload over.</item>
/// <item><c>expiry/{yyyyMMddHHmmssfff}/{id}</c>: the expiry index, time-ordered for listing; a key's time is never after the upload's expiry.</item>
/// <item><c>outbox/{upload id}/{event id}</c>: a marker that the upload's document carries that undelivered event.</item>
/// </list>
/// </summary>
internal sealed class CoordinationKeys(string prefix)
{
    private const string TimeFormat = "yyyyMMddHHmmssfff";

    public string UploadsPrefix { get; } = prefix + "uploads/";

    public string HandOverPrefix { get; } = prefix + "handover/";

    public string ExpiryPrefix { get; } = prefix + "expiry/";

    public string OutboxPrefix { get; } = prefix + "outbox/";

    public string Upload(string uploadId) => UploadsPrefix + uploadId;

    public string HandOver(string uploadId, long fence) => $"{HandOverPrefix}{uploadId}/{fence.ToString("D19", CultureInfo.InvariantCulture)}";

    /// <summary>Rounded up to the millisecond, so the key never names a time before the expiry it stands for.</summary>
    public string Expiry(string uploadId, DateTimeOffset expiresAt) => $"{ExpiryPrefix}{Format(CeilingMilliseconds(expiresAt))}/{uploadId}";

    public string OutboxMarker(string uploadId, string eventId) => $"{OutboxPrefix}{uploadId}/{eventId}";

    /// <summary>Where the outbox keeps unreadable events for an operator, outside every listing it makes.</summary>
    public string UnreadableOutboxPrefix { get; } = prefix + "outbox-unreadable/";

    /// <summary>One unreadable event of an upload, named by the digest of its text: setting it aside twice writes one object.</summary>
    public string UnreadableOutbox(string uploadId, string text) =>
        $"{UnreadableOutboxPrefix}{uploadId}/{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32]}";

    public bool TryParseHandOver(string key, out string uploadId, out long fence)
    {
        fence = 0;
        return TryParsePair(key, HandOverPrefix, out uploadId, out var text)
            && text.Length == 19 && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out fence);
    }

    public bool TryParseExpiry(string key, out string uploadId, out DateTimeOffset time)
    {
        time = default;
        uploadId = string.Empty;
        if (!TryParsePair(key, ExpiryPrefix, out var first, out var second) || !UploadId.IsValid(second)
            || !DateTimeOffset.TryParseExact(first, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time))
        {
            return false;
        }

        uploadId = second;
        return true;
    }

    public bool TryParseOutboxMarker(string key, out string uploadId, out string eventId) =>
        TryParsePair(key, OutboxPrefix, out uploadId, out eventId) && UploadId.IsValid(eventId);

    /// <summary>The time an expiry key stands for, as <see cref="Expiry"/> rounds it.</summary>
    public static DateTimeOffset KeyTime(DateTimeOffset expiresAt) => CeilingMilliseconds(expiresAt);

    /// <summary><c>{prefix}{first}/{second}</c> where, for every kind but expiry, the first part is an upload id.</summary>
    private static bool TryParsePair(string key, string kindPrefix, out string first, out string second)
    {
        first = second = string.Empty;
        if (!key.StartsWith(kindPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = key.AsSpan(kindPrefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || rest[(slash + 1)..].Contains('/'))
        {
            return false;
        }

        first = rest[..slash].ToString();
        second = rest[(slash + 1)..].ToString();
        return kindPrefix.EndsWith("expiry/", StringComparison.Ordinal) || UploadId.IsValid(first);
    }

    private static DateTimeOffset CeilingMilliseconds(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        var floor = new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        return floor < utc && floor < DateTimeOffset.MaxValue.AddMilliseconds(-1) ? floor.AddMilliseconds(1) : floor;
    }

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);
}
