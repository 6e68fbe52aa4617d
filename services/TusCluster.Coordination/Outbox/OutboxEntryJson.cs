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

    /// <summary>
    /// The entry stored as <paramref name="json"/>, or null with the <paramref name="problem"/> when those bytes are
    /// not a valid entry: a reader sets such an entry aside (<see cref="UnreadableOutboxEntries"/>) rather than fail.
    /// </summary>
    public static OutboxEntry? TryRead(ReadOnlySpan<byte> json, out string? problem)
    {
        OutboxEntry? entry;
        try
        {
            entry = JsonSerializer.Deserialize(json, OutboxEntryJsonContext.Default.OutboxEntry);
        }
        catch (JsonException e)
        {
            problem = e.Message;
            return null;
        }

        problem = entry is null ? "The stored JSON is null." : OutboxEntries.Malformation(entry);
        return problem is null ? entry : null;
    }
}
