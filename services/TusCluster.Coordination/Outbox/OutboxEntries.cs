using System.Text;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Outbox;

/// <summary>
/// Checks entries before a backend turns them into keys and values: ids become parts of keys and file
/// names, so anything but an id of the expected shape is refused before a byte is written.
/// </summary>
public static class OutboxEntries
{
    /// <exception cref="ArgumentException">An entry is malformed or belongs to another upload.</exception>
    public static void Validate(string uploadId, IReadOnlyList<OutboxEntry> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count > OutboxEntry.MaxPerCommit)
        {
            throw new ArgumentException($"A commit carries at most {OutboxEntry.MaxPerCommit} events (got {events.Count}).", nameof(events));
        }

        // Ids become keys: two entries of one commit under one key would be one entry, or a refused transaction.
        if (events.Select(e => e.Id).Distinct(StringComparer.Ordinal).Count() != events.Count)
        {
            throw new ArgumentException("The events of a commit need distinct ids.", nameof(events));
        }

        foreach (var entry in events)
        {
            Validate(entry);
            if (entry.UploadId != uploadId)
            {
                throw new ArgumentException($"An event of upload {entry.UploadId} cannot be committed with upload {uploadId}.", nameof(events));
            }
        }
    }

    /// <exception cref="ArgumentException">The entry is malformed.</exception>
    public static void Validate(OutboxEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (Malformation(entry) is { } problem)
        {
            throw new ArgumentException(problem, nameof(entry));
        }
    }

    /// <summary>
    /// What is wrong with a stored entry, or null when nothing is. A reader sets aside an entry with a
    /// problem instead of returning it: postponing or deleting it would be refused (<see cref="Validate(OutboxEntry)"/>).
    /// </summary>
    public static string? Malformation(OutboxEntry entry)
    {
        if (entry.Id is null || entry.UploadId is null || entry.Payload is null)
        {
            return "An outbox entry needs an id, an upload id and a payload.";
        }

        if (!UploadId.IsValid(entry.Id) || !UploadId.IsValid(entry.UploadId))
        {
            return "An outbox entry's id and upload id must be 32 lowercase hex characters.";
        }

        return entry.Attempts < 0 || Encoding.UTF8.GetByteCount(entry.Payload) > OutboxEntry.MaxPayloadBytes
            ? $"An outbox entry's payload is limited to {OutboxEntry.MaxPayloadBytes} bytes and its attempts cannot be negative."
            : null;
    }
}
