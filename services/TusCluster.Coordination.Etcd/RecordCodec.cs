using System.Text.Json;
using Google.Protobuf;
using Mvccpb;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Etcd;

/// <summary>An upload record as the JSON value of its record key.</summary>
internal static class RecordCodec
{
    public static ByteString Encode(UploadRecord record) =>
        ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(record, RecordJsonContext.Default.UploadRecord));

    public static UploadRecord? Decode(IReadOnlyList<KeyValue>? kvs, string uploadId)
    {
        if (kvs is null || kvs.Count == 0 || kvs[0].Value.IsEmpty)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(kvs[0].Value.Span, RecordJsonContext.Default.UploadRecord);
        }
        catch (JsonException e)
        {
            throw new CoordinationUnavailableException($"The record of upload {uploadId} in etcd is unreadable.", e);
        }
    }
}
