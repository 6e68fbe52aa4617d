using System.Text.Json;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Outbox;

/// <summary>The one stored form of an outbox entry for backends that keep it as one value (Redis, etcd, files).</summary>
public static class OutboxEntryJson
{
    public static byte[] Serialize(OutboxEntry entry) =>
        JsonSerializer.SerializeToUtf8Bytes(entry, OutboxEntryJsonContext.Default.OutboxEntry);

    public static string SerializeToString(OutboxEntry entry) =>
        JsonSerializer.Serialize(entry, OutboxEntryJsonContext.Default.OutboxEntry);

    /// <exception cref="CoordinationUnavailableException">The stored bytes are not an entry.</exception>
    public static OutboxEntry Deserialize(ReadOnlySpan<byte> json, string where)
    {
        try
        {
            return JsonSerializer.Deserialize(json, OutboxEntryJsonContext.Default.OutboxEntry)
                ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new CoordinationUnavailableException($"An outbox entry in {where} is unreadable.", e);
        }
    }

    /// <inheritdoc cref="Deserialize(ReadOnlySpan{byte}, string)"/>
    public static OutboxEntry Deserialize(string json, string where)
    {
        try
        {
            return JsonSerializer.Deserialize(json, OutboxEntryJsonContext.Default.OutboxEntry)
                ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new CoordinationUnavailableException($"An outbox entry in {where} is unreadable.", e);
        }
    }
}
