using Google.Protobuf;
using Mvccpb;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Etcd;

/// <summary>An upload record as the JSON value of its record key.</summary>
internal static class RecordCodec
{
    public static ByteString Encode(UploadRecord record) =>
        ByteString.CopyFrom(UploadRecordJson.Serialize(record));

    public static UploadRecord? Decode(IReadOnlyList<KeyValue>? kvs, string uploadId)
    {
        if (kvs is null || kvs.Count == 0 || kvs[0].Value.IsEmpty)
        {
            return null;
        }

        return UploadRecordJson.Deserialize(uploadId, kvs[0].Value.Span, "etcd");
    }
}
