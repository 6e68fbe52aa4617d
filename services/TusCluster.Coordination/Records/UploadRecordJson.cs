using System.Text.Json;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination;

/// <summary>
/// The one stored form of an upload record, the same in every backend (so records can be read by tools and
/// moved between backends). An unreadable record is reported as the backend being unavailable: the request
/// gets a 503 and nothing is overwritten.
/// </summary>
public static class UploadRecordJson
{
    public static byte[] Serialize(UploadRecord record) =>
        JsonSerializer.SerializeToUtf8Bytes(record, UploadRecordJsonContext.Default.UploadRecord);

    public static string SerializeToString(UploadRecord record) =>
        JsonSerializer.Serialize(record, UploadRecordJsonContext.Default.UploadRecord);

    /// <param name="where">Names the backend in the error, e.g. "Redis".</param>
    /// <exception cref="CoordinationUnavailableException">The stored bytes are not a record.</exception>
    public static UploadRecord? Deserialize(string uploadId, ReadOnlySpan<byte> json, string where)
    {
        try
        {
            return JsonSerializer.Deserialize(json, UploadRecordJsonContext.Default.UploadRecord);
        }
        catch (JsonException e)
        {
            throw new CoordinationUnavailableException($"The record of upload {uploadId} in {where} is unreadable.", e);
        }
    }

    /// <inheritdoc cref="Deserialize(string, ReadOnlySpan{byte}, string)"/>
    public static UploadRecord? Deserialize(string uploadId, string json, string where)
    {
        try
        {
            return JsonSerializer.Deserialize(json, UploadRecordJsonContext.Default.UploadRecord);
        }
        catch (JsonException e)
        {
            throw new CoordinationUnavailableException($"The record of upload {uploadId} in {where} is unreadable.", e);
        }
    }
}
