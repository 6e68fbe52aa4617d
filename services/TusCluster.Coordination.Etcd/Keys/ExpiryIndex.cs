using System.Globalization;
using System.Text;
using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Etcd.Keys;

/// <summary>The expiry index: one empty key per expiring upload, named by its expiry time so a range read returns them in time order.</summary>
internal static class ExpiryIndex
{
    public static RangeRequest DueRequest(EtcdKeys keys, DateTimeOffset upTo, int limit) =>
        new() { Key = keys.ExpiryPrefix, RangeEnd = keys.ExpiryEnd(upTo), Limit = limit };

    public static IReadOnlyList<ExpiryEntry> Parse(EtcdKeys keys, IEnumerable<KeyValue> kvs)
    {
        var from = keys.ExpiryPrefix.Length;
        var entries = new List<ExpiryEntry>();
        foreach (var kv in kvs)
        {
            var key = Encoding.UTF8.GetString(kv.Key.Span[Math.Min(from, kv.Key.Length)..]);
            if (key.Length == 16 + 1 + UploadId.Length
                && long.TryParse(key.AsSpan(0, 16), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                && key[16] == '/'
                && UploadId.IsValid(key.AsSpan(17)))
            {
                entries.Add(new ExpiryEntry(key[17..], DateTimeOffset.FromUnixTimeMilliseconds(ms)));
            }
        }

        return entries;
    }

    /// <summary>The index changes of a commit that replaces <paramref name="before"/> with <paramref name="after"/>.</summary>
    public static IEnumerable<RequestOp> Changes(EtcdKeys keys, string uploadId, DateTimeOffset? before, DateTimeOffset? after)
    {
        var oldKey = before is { } b ? keys.Expiry(uploadId, b) : null;
        var newKey = after is { } a ? keys.Expiry(uploadId, a) : null;
        if (oldKey is not null && oldKey != newKey)
        {
            yield return Ops.Delete(oldKey);
        }

        if (newKey is not null)
        {
            yield return new RequestOp { RequestPut = new PutRequest { Key = newKey, Value = ByteString.Empty } };
        }
    }
}
