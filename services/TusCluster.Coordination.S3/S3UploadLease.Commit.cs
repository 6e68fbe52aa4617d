using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.S3;

/// <summary>
/// Commit and removal. What must be findable is written before the document that refers to it: the outbox markers
/// of the events, and an expiry key when the document has none at or before the new expiry. The record, its
/// events and (with release) the cleared lease then go in one conditional PUT, so they are stored together or not.
/// </summary>
internal sealed partial class S3UploadLease
{
    protected override async Task RemoveCoreAsync(CancellationToken cancellationToken)
    {
        string? removedKey = null;
        bool held;
        try
        {
            // The document stays as a tombstone: its fence (never reused) and its undelivered events outlive the record.
            held = await WriteAsync(
                (document, _) =>
                {
                    removedKey = document.ExpiryKey;
                    return Task.FromResult(document with { Record = null, ExpiryKey = null });
                },
                cancellationToken);
        }
        catch (CoordinationUnavailableException e)
        {
            // Find out by reading, never by sending it again.
            if (await ReadForVerificationAsync(e) is not { Record: null } current || !current.IsHeldBy(FencingToken))
            {
                throw;
            }

            held = true;
        }

        if (!held)
        {
            MarkLost();
            throw new LeaseLostException($"The lease {FencingToken} of upload {UploadId} is no longer held; the record was not removed.");
        }

        DeleteLater(removedKey);
    }

    protected override async Task CommitCoreAsync(UploadRecord stored, IReadOnlyList<OutboxEntry> events, bool release, CancellationToken cancellationToken)
    {
        string? writtenKey = null;
        string? replacedKey = null;
        bool held;
        try
        {
            await Task.WhenAll(events.Select(e => _owner.Objects.PutMarkerAsync(_owner.Keys.OutboxMarker(UploadId, e.Id), cancellationToken)));
            held = await WriteAsync(
                async (document, token) =>
                {
                    var key = ExpiryKeyFor(document, stored);
                    if (key is not null && key != document.ExpiryKey && key != writtenKey)
                    {
                        await _owner.Objects.PutMarkerAsync(key, token);
                        writtenKey = key;
                    }

                    // A write that raced and was read again shows this change's own key: the key it replaced stays the one to delete.
                    replacedKey = document.ExpiryKey != key ? document.ExpiryKey : replacedKey;
                    return document with
                    {
                        Record = stored,
                        ExpiryKey = key,
                        Events = MergeEvents(document.Events, events),
                        Lease = release ? null : document.Lease,
                    };
                },
                cancellationToken);
        }
        catch (CoordinationUnavailableException e)
        {
            // The PUT may or may not have been applied. Find out by reading, never by sending it again.
            var current = await ReadForVerificationAsync(e);
            var json = UploadRecordJson.SerializeToString(stored);
            if (current?.Record is not { } found || UploadRecordJson.SerializeToString(found) != json
                || !events.All(entry => current.Events.Any(s => s.Id == entry.Id)))
            {
                throw new CoordinationUnavailableException($"The commit of upload {UploadId} under fence {FencingToken} was not stored.", e);
            }

            held = true;
        }

        if (!held)
        {
            foreach (var entry in events)
            {
                DeleteLater(_owner.Keys.OutboxMarker(UploadId, entry.Id));
            }

            MarkLost();
            throw new LeaseLostException($"The lease {FencingToken} of upload {UploadId} is no longer held; the commit was not stored.");
        }

        DeleteLater(replacedKey);
    }

    /// <summary>
    /// The document's key while its time is not after the new expiry (a sliding expiry then costs no write per
    /// PATCH: the sweeper re-indexes when the early key comes due); otherwise the exact key of the new expiry.
    /// </summary>
    private string? ExpiryKeyFor(UploadDocument document, UploadRecord stored)
    {
        if (stored.ExpiresAt is not { } expiresAt)
        {
            return null;
        }

        return document.ExpiryKey is { } key && _owner.Keys.TryParseExpiry(key, out var id, out var time)
            && id == UploadId && time <= CoordinationKeys.KeyTime(expiresAt)
            ? key
            : _owner.Keys.Expiry(UploadId, expiresAt);
    }

    private static OutboxEntry[] MergeEvents(IReadOnlyList<OutboxEntry> stored, IReadOnlyList<OutboxEntry> added)
    {
        // A commit sent again after an unknown outcome carries the same ids: they are stored once.
        var merged = stored.Concat(added.Where(entry => !stored.Any(s => s.Id == entry.Id))).ToArray();
        return merged.Length <= UploadDocument.MaxEvents
            ? merged
            : throw new CoordinationUnavailableException($"Upload {stored[0].UploadId} has {stored.Count} undelivered events; more wait until the deliverer catches up.");
    }

    private async Task<UploadDocument?> ReadForVerificationAsync(CoordinationUnavailableException failure)
    {
        try
        {
            return (await _owner.ReadAsync(UploadId, CancellationToken.None)).Document;
        }
        catch (CoordinationUnavailableException)
        {
            throw new CoordinationUnavailableException($"A write of upload {UploadId} under fence {FencingToken} has an unknown outcome.", failure);
        }
    }

    private void DeleteLater(string? key)
    {
        if (key is not null)
        {
            _owner.Detach(token => _owner.Objects.DeleteAsync(key, token));
        }
    }
}
