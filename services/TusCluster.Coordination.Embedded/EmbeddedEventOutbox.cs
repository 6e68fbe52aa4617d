using Microsoft.Extensions.Logging;
using TusCluster.Coordination.Outbox;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Embedded;

/// <summary>
/// The outbox of the embedded backend: one file per entry (<c>&lt;entry id&gt;.&lt;fence&gt;.event</c>) in
/// <c>outbox/</c> beside the records, and an in-memory index by due time. A commit writes its entries
/// before the record, so a crash in between leaves entries whose commit never happened; the start-up
/// scan removes those (the record's fence is older than theirs) before any new commit can hide them, and moves a
/// file that is not an entry to <c>outbox/unreadable/</c>, so that it neither stops the start nor is ever read again.
/// </summary>
internal sealed class EmbeddedEventOutbox
{
    private const string Extension = ".event";
    private readonly Lock _gate = new();
    private readonly SortedSet<(DateTimeOffset DueAt, string Id)> _byTime = [];
    private readonly Dictionary<string, (OutboxEntry Entry, string Path)> _byId = new(StringComparer.Ordinal);
    private readonly string _directory;
    private readonly bool _fsync;
    private readonly ILogger _logger;

    public EmbeddedEventOutbox(string recordsDirectory, bool fsync, Func<string, long?> committedFence, ILogger logger)
    {
        _directory = Path.Combine(recordsDirectory, "outbox");
        _fsync = fsync;
        _logger = logger;
        Load(committedFence);
    }

    /// <summary>Writes the entries of a commit at fence <paramref name="fence"/>; returns their paths for <see cref="Publish"/> or <see cref="Abandon"/>.</summary>
    public IReadOnlyList<string> Stage(IReadOnlyList<OutboxEntry> events, long fence)
    {
        var written = new List<string>(events.Count);
        try
        {
            foreach (var entry in events)
            {
                var path = Path.Combine(_directory, $"{entry.Id}.{fence}{Extension}");
                Write(path, entry);
                written.Add(path);
            }

            return written;
        }
        catch (CoordinationUnavailableException)
        {
            Abandon(written);
            throw;
        }
    }

    /// <summary>The record is committed: the staged entries become readable.</summary>
    public void Publish(IReadOnlyList<OutboxEntry> events, IReadOnlyList<string> paths)
    {
        lock (_gate)
        {
            for (var i = 0; i < events.Count; i++)
            {
                Index(events[i], paths[i]);
            }
        }
    }

    /// <summary>The record's commit failed: its entries must never be delivered.</summary>
    public static void Abandon(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            UploadRecordFiles.TryDelete(path);
        }
    }

    public IReadOnlyList<OutboxEntry> ReadDue(DateTimeOffset upTo, int limit)
    {
        lock (_gate)
        {
            return [.. _byTime.TakeWhile(e => e.DueAt <= upTo).Take(limit).Select(e => _byId[e.Id].Entry)];
        }
    }

    public void Postpone(OutboxEntry entry, DateTimeOffset dueAt)
    {
        lock (_gate)
        {
            if (!_byId.TryGetValue(entry.Id, out var stored))
            {
                return;
            }

            var moved = stored.Entry with { DueAt = dueAt, Attempts = stored.Entry.Attempts + 1 };
            Write(stored.Path, moved);
            _byTime.Remove((stored.Entry.DueAt, entry.Id));
            Index(moved, stored.Path);
        }
    }

    public void Delete(OutboxEntry entry)
    {
        lock (_gate)
        {
            if (!_byId.Remove(entry.Id, out var stored))
            {
                return;
            }

            _byTime.Remove((stored.Entry.DueAt, entry.Id));
            try
            {
                File.Delete(stored.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Index(stored.Entry, stored.Path);
                throw new CoordinationUnavailableException($"Cannot delete outbox entry {entry.Id}.", e);
            }
        }
    }

    private void Index(OutboxEntry entry, string path)
    {
        _byId[entry.Id] = (entry, path);
        _byTime.Add((entry.DueAt, entry.Id));
    }

    private void Write(string path, OutboxEntry entry)
    {
        var temporary = path + ".tmp";
        try
        {
            Directory.CreateDirectory(_directory);
            using (var file = File.OpenHandle(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                RandomAccess.Write(file, OutboxEntryJson.Serialize(entry), 0);
                if (_fsync)
                {
                    RandomAccess.FlushToDisk(file);
                }
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            UploadRecordFiles.TryDelete(temporary);
            throw new CoordinationUnavailableException($"Cannot write outbox entry {entry.Id}.", e);
        }
    }

    /// <summary>Where unreadable entries are kept: beside the outbox, not in it (the scan reads only the outbox's own files).</summary>
    internal string UnreadableDirectory => Path.Combine(_directory, "unreadable");

    private static byte[] ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file the process cannot read now is a failure of the disk or its permissions, not a bad entry.
            throw new CoordinationUnavailableException($"Cannot read outbox entry {path}.", e);
        }
    }

    private void SetAside(string path, string? problem)
    {
        var deadLetter = Path.Combine(UnreadableDirectory, Path.GetFileName(path));
        try
        {
            Directory.CreateDirectory(UnreadableDirectory);
            File.Move(path, deadLetter, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CoordinationUnavailableException($"Cannot move the unreadable outbox entry {path} to {UnreadableDirectory}.", e);
        }

        UnreadableOutboxEntries.SetAside(_logger, "embedded", path, deadLetter, problem);
    }

    /// <summary>Runs before the first commit: the outbox holds only undelivered entries, so this is short.</summary>
    private void Load(Func<string, long?> committedFence)
    {
        if (!Directory.Exists(_directory))
        {
            return;
        }

        foreach (var path in Directory.EnumerateFiles(_directory, "*" + Extension))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0 || !long.TryParse(name.AsSpan(dot + 1), out var fence))
            {
                continue;
            }

            if (OutboxEntryJson.TryRead(ReadFile(path), out var problem) is not { } entry)
            {
                SetAside(path, problem);
                continue;
            }

            // An entry whose commit never happened: its record is older than it, or was never written.
            // (A record removed after its tombstone aged out takes its late entries with it on restart.)
            if (committedFence(entry.UploadId) is not { } committed || committed < fence)
            {
                UploadRecordFiles.TryDelete(path);
                continue;
            }

            Index(entry, path);
        }
    }
}
