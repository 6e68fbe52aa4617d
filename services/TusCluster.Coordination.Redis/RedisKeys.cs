using System.Text;

namespace TusCluster.Coordination.Redis;

/// <summary>
/// Key and channel names. The upload id is a hash tag (<c>{id}</c>), so all keys of one upload live in
/// one slot and a script may touch them together; the expiry index is one sorted set for all uploads.
/// Outbox entries outlive their upload's record, so they are keyed by their own id, indexed by due
/// time in one sorted set for all uploads.
/// </summary>
internal sealed class RedisKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    public string Expiry { get; } = prefix + "expiry";

    public string OutboxDue { get; } = prefix + "outbox-due";

    public string HandOverPrefix { get; } = prefix + "handover:";

    public string ReleasedPrefix { get; } = prefix + "released:";

    public string HandOverPattern => EscapeGlob(HandOverPrefix) + "*";

    public string ReleasedPattern => EscapeGlob(ReleasedPrefix) + "*";

    public string Fence(string id) => $"{Prefix}{{{id}}}:fence";

    public string Lock(string id) => $"{Prefix}{{{id}}}:lock";

    public string Record(string id) => $"{Prefix}{{{id}}}:record";

    public string OutboxEntry(string entryId) => $"{Prefix}outbox:{entryId}";

    /// <summary>Where an entry no reader can parse is kept for an operator, outside the outbox (never read again).</summary>
    public string UnreadableOutboxEntry(string entryId) => $"{Prefix}outbox-unreadable:{entryId}";

    public string HandOverChannel(string id) => HandOverPrefix + id;

    public string ReleasedChannel(string id) => ReleasedPrefix + id;

    private static string EscapeGlob(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
