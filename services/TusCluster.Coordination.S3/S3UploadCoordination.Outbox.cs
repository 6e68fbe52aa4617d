using System.Text;
using TusCluster.Coordination.Outbox;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.S3;

/// <summary>
/// The outbox: events live in their upload's document, stored by the same conditional PUT as the commit. A marker
/// key <c>outbox/{upload}/{event}</c>, written before that PUT, lets readers find them by listing; a marker whose
/// event is not in the document is a commit in flight or one that failed, and is deleted once old. An event of a
/// document that is not a valid entry is moved to its own object under <c>outbox-unreadable/</c>.
/// </summary>
internal sealed partial class S3UploadCoordination : IEventOutbox
{
    /// <summary>Writers that came first, in a row, before a postponement or deletion gives up with a 503.</summary>
    private const int MaxConflicts = 8;

    public async ValueTask<IReadOnlyList<OutboxEntry>> ReadDueEventsAsync(DateTimeOffset upTo, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        await EnsureBucketAsync(cancellationToken);
        var markers = new Dictionary<string, List<(string EventId, DateTimeOffset? Written, string Key)>>(StringComparer.Ordinal);
        await foreach (var item in Objects.ListAllAsync(Keys.OutboxPrefix, cancellationToken))
        {
            if (Keys.TryParseOutboxMarker(item.Key, out var uploadId, out var eventId))
            {
                if (!markers.TryGetValue(uploadId, out var list))
                {
                    markers[uploadId] = list = [];
                }

                list.Add((eventId, item.LastModified, item.Key));
            }
        }

        var due = new List<OutboxEntry>();
        foreach (var chunk in markers.Chunk(ReadParallelism))
        {
            var documents = await Task.WhenAll(chunk.Select(upload => ReadForOutboxAsync(upload.Key, upload.Value.Select(m => m.Key), cancellationToken)));
            for (var i = 0; i < chunk.Length; i++)
            {
                foreach (var unreadable in documents[i]?.UnreadableEvents ?? [])
                {
                    await SetAsideAsync(chunk[i].Key, unreadable, cancellationToken);
                }

                var events = documents[i]?.Events ?? [];
                foreach (var (eventId, written, key) in chunk[i].Value)
                {
                    if (events.FirstOrDefault(e => e.Id == eventId) is { } entry)
                    {
                        if (entry.DueAt <= upTo)
                        {
                            due.Add(entry);
                        }
                    }
                    else if (written is { } at && DateTimeOffset.UtcNow - at > StaleKeyAge)
                    {
                        Detach(token => Objects.DeleteAsync(key, token));
                    }
                }
            }
        }

        return [.. due.OrderBy(e => e.DueAt).ThenBy(e => e.Id, StringComparer.Ordinal).Take(limit)];
    }

    public async ValueTask PostponeEventAsync(OutboxEntry entry, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        OutboxEntries.Validate(entry);
        await EnsureBucketAsync(cancellationToken);

        // Counts on the stored attempts, not the caller's copy; an entry that is gone stays gone.
        await ChangeAsync(entry.UploadId, document => document.Events.Any(e => e.Id == entry.Id)
            ? document with { Events = [.. document.Events.Select(e => e.Id == entry.Id ? e with { DueAt = dueAt, Attempts = e.Attempts + 1 } : e)] }
            : null, cancellationToken);
    }

    public async ValueTask DeleteEventAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        OutboxEntries.Validate(entry);
        await EnsureBucketAsync(cancellationToken);
        await ChangeAsync(entry.UploadId, document => document.Events.Any(e => e.Id == entry.Id)
            ? document with { Events = [.. document.Events.Where(e => e.Id != entry.Id)] }
            : null, cancellationToken);

        // Event ids are never reused, so nobody writes this marker again once the event is gone.
        await Objects.DeleteAsync(Keys.OutboxMarker(entry.UploadId, entry.Id), cancellationToken);
    }

    /// <summary>
    /// The document of an upload with outbox markers. One that is not a document at all stays the upload's (its
    /// requests keep getting 503), but its events cannot be told apart: a copy goes to <c>outbox-unreadable/</c>
    /// and its markers are deleted, so no read of the outbox stops at it again.
    /// </summary>
    private async Task<UploadDocument?> ReadForOutboxAsync(string uploadId, IEnumerable<string> markers, CancellationToken cancellationToken)
    {
        try
        {
            return (await ReadAsync(uploadId, cancellationToken)).Document;
        }
        catch (CoordinationUnavailableException e) when (e.InnerException is UnreadableDocumentException unreadable)
        {
            var deadLetter = Keys.UnreadableOutbox(uploadId, unreadable.Text);
            await Objects.PutTextAsync(deadLetter, unreadable.Text, cancellationToken);
            foreach (var marker in markers)
            {
                await Objects.DeleteAsync(marker, cancellationToken);
            }

            UnreadableOutboxEntries.SetAside(_logger, "s3", $"the events of {Keys.Upload(uploadId)}", deadLetter, unreadable.InnerException?.Message);
            return null;
        }
    }

    /// <summary>
    /// Copies an unreadable event to its own object, then takes it out of the document (no lease needed, like a
    /// deletion). Copied first: should the change fail, the next read copies it again, to the same key.
    /// </summary>
    private async Task SetAsideAsync(string uploadId, string unreadable, CancellationToken cancellationToken)
    {
        var deadLetter = Keys.UnreadableOutbox(uploadId, unreadable);
        await Objects.PutTextAsync(deadLetter, unreadable, cancellationToken);
        var removed = false;
        await ChangeAsync(uploadId, document =>
        {
            removed = document.UnreadableEvents.Contains(unreadable, StringComparer.Ordinal);
            return removed ? document with { UnreadableEvents = [.. document.UnreadableEvents.Where(u => u != unreadable)] } : null;
        }, cancellationToken);
        if (removed)
        {
            OutboxEntryJson.TryRead(Encoding.UTF8.GetBytes(unreadable), out var problem);
            UnreadableOutboxEntries.SetAside(_logger, "s3", $"an event in {Keys.Upload(uploadId)}", deadLetter, problem);
        }
    }

    /// <summary>A change of a document by someone who holds no lease on it: read, change, conditional PUT, again after losing a race.</summary>
    private async Task ChangeAsync(string uploadId, Func<UploadDocument, UploadDocument?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxConflicts; attempt++)
        {
            var (document, etag) = await ReadAsync(uploadId, cancellationToken);
            if (document is null || change(document) is not { } changed)
            {
                return;
            }

            // A postponement that landed after all and is applied again only counts one attempt too many.
            if (await Objects.WriteOrLoseAsync(Keys.Upload(uploadId), changed, etag) is not null)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), cancellationToken);
        }

        throw new CoordinationUnavailableException($"The S3 document of upload {uploadId} changed under {MaxConflicts} writes in a row.");
    }
}
