using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Embedded;

/// <summary>Upload ids ordered by expiry time, so that reading what has expired costs only that.</summary>
internal sealed class ExpiryIndex
{
    private readonly Lock _gate = new();
    private readonly SortedSet<(DateTimeOffset ExpiresAt, string Id)> _byTime = [];
    private readonly Dictionary<string, DateTimeOffset> _byId = new(StringComparer.Ordinal);

    public void Set(string uploadId, DateTimeOffset? expiresAt)
    {
        lock (_gate)
        {
            if (_byId.Remove(uploadId, out var previous))
            {
                _byTime.Remove((previous, uploadId));
            }

            if (expiresAt is { } time)
            {
                _byId[uploadId] = time;
                _byTime.Add((time, uploadId));
            }
        }
    }

    /// <summary>Adds an entry found by the start-up scan unless a commit got there first.</summary>
    public void AddIfAbsent(string uploadId, DateTimeOffset expiresAt)
    {
        lock (_gate)
        {
            if (_byId.TryAdd(uploadId, expiresAt))
            {
                _byTime.Add((expiresAt, uploadId));
            }
        }
    }

    public IReadOnlyList<ExpiryEntry> ReadUpTo(DateTimeOffset upTo, int limit)
    {
        lock (_gate)
        {
            return [.. _byTime.TakeWhile(e => e.ExpiresAt <= upTo).Take(limit).Select(e => new ExpiryEntry(e.Id, e.ExpiresAt))];
        }
    }
}
