using System.Text.Json;

namespace TusCluster.Protocol.Events;

/// <summary>The stored form of an event in the outbox (not a wire format: sinks have their own).</summary>
public static class UploadEventJson
{
    public static string Serialize(UploadEvent uploadEvent) =>
        JsonSerializer.Serialize(uploadEvent, UploadEventJsonContext.Default.UploadEvent);

    /// <exception cref="JsonException">The payload is not an event.</exception>
    public static UploadEvent Deserialize(string json) =>
        JsonSerializer.Deserialize(json, UploadEventJsonContext.Default.UploadEvent) ?? throw new JsonException("The payload is null.");
}
