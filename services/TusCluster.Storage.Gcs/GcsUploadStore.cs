using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Storage.Gcs;

/// <summary>
/// Uploads in Google Cloud Storage: every chunk a new object named with its writer's fence, the committed
/// chunk list in coordination rather than derived from listings, and the final object composed from exactly
/// the committed chunks (in levels of 32) when the upload completes. A stale writer can only create an
/// object that no committed state names; committed objects are never replaced. See <see cref="ChunkStager"/>.
/// </summary>
internal sealed class GcsUploadStore(GcsBucket bucket) : IUploadStore
{
    private readonly FinalObjectBuilder _finals = new(bucket);
    private readonly UploadObjectsDeleter _deleter = new(bucket);

    public ValueTask<string?> CreateAsync(UploadRecord upload, CancellationToken cancellationToken)
    {
        // Nothing exists in GCS until the first bytes arrive; the id is checked now all the same.
        _ = bucket.Names.Object(upload);
        return ValueTask.FromResult<string?>(null);
    }

    public ValueTask<StagedChunk> StageAsync(UploadRecord upload, IStagingContext staging, Stream chunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staging);
        var stager = new ChunkStager(bucket, upload, staging, cancellationToken);
        return GcsErrors.GuardAsync("stage a chunk of upload " + upload.Id, () => stager.StageAsync(chunk), cancellationToken);
    }

    public ValueTask DiscardAsync(UploadRecord upload, StagedChunk chunk, CancellationToken cancellationToken) =>
        GcsErrors.GuardAsync(
            "discard a chunk of upload " + upload.Id,
            async () =>
            {
                var committed = GcsUploadState.Parse(upload.StoreState).Chunks.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
                foreach (var staged in GcsUploadState.Parse(chunk.StoreState).Chunks.Where(c => !committed.Contains(c.Name)))
                {
                    await bucket.DeleteAsync(staged.Name, staged.Generation, cancellationToken);
                }
            },
            cancellationToken);

    public ValueTask SettleAsync(UploadRecord committed, CancellationToken cancellationToken)
    {
        // Only chunks that a committed chunk merged into its own object are left to remove; deleting one
        // twice is harmless, so settlers may repeat and race.
        var obsolete = GcsUploadState.Parse(committed.StoreState).Obsolete;
        return obsolete.IsEmpty
            ? ValueTask.CompletedTask
            : GcsErrors.GuardAsync("settle upload " + committed.Id, () => _deleter.DeleteAsync(obsolete, cancellationToken), cancellationToken);
    }

    public ValueTask<string?> CompleteAsync(UploadRecord upload, CancellationToken cancellationToken) =>
        GcsErrors.GuardAsync<string?>(
            "complete upload " + upload.Id,
            async () =>
            {
                var state = GcsUploadState.Parse(upload.StoreState);
                if (state.Final is not null)
                {
                    return upload.StoreState;
                }

                var sources = state.Chunks.Select(c => new ComposeSource(c.Name, c.Generation, c.Size, 1)).ToList();
                var final = await _finals.BuildAsync(bucket.Names.Object(upload), upload.Offset, sources, ObjectHeaders.From(upload.Metadata), cancellationToken);
                await _deleter.DeleteAsync([.. state.Chunks, .. state.Obsolete], cancellationToken);
                return new GcsUploadState { Final = final }.Format();
            },
            cancellationToken);

    public ValueTask<string?> ConcatenateAsync(UploadRecord final, IReadOnlyList<UploadRecord> partials, CancellationToken cancellationToken) =>
        GcsErrors.GuardAsync<string?>(
            "concatenate upload " + final.Id,
            async () =>
            {
                var sources = partials.Select(p => GcsUploadState.Parse(p.StoreState).Final is { } done
                        ? new ComposeSource(bucket.Names.Object(p), done.Generation, p.Length ?? 0, done.Components)
                        : throw new InvalidDataException($"Partial upload {p.Id} has no final object."))
                    .ToList();
                var built = await _finals.BuildAsync(bucket.Names.Object(final), sources.Sum(s => s.Size), sources, ObjectHeaders.From(final.Metadata), cancellationToken);
                return new GcsUploadState { Final = built }.Format();
            },
            cancellationToken);

    public ValueTask<Stream> OpenReadAsync(UploadRecord upload, long offset, long count, CancellationToken cancellationToken) =>
        GcsErrors.GuardAsync(
            "read upload " + upload.Id,
            async () =>
            {
                var range = ReadRange.Of(upload, offset, count);
                if (range.IsEmpty)
                {
                    return (Stream)new MemoryStream([], writable: false);
                }

                var final = GcsUploadState.Parse(upload.StoreState).Final ?? throw new InvalidDataException($"Upload {upload.Id} has no final object yet.");
                return await bucket.OpenReadAsync(bucket.Names.Object(upload), final.Generation, range.Offset, range.Length, cancellationToken);
            },
            cancellationToken);

    public ValueTask DeleteAsync(UploadRecord upload, CancellationToken cancellationToken) =>
        GcsErrors.GuardAsync("delete upload " + upload.Id, () => _deleter.DeleteAllAsync(bucket.Names.Object(upload), cancellationToken), cancellationToken);

    public IReadOnlyDictionary<string, string> Describe(UploadRecord upload) =>
        new Dictionary<string, string> { ["Type"] = "gcsstore", ["Bucket"] = bucket.Name, ["Key"] = bucket.Names.Object(upload) };

    public async ValueTask<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await bucket.Client.GetBucketAsync(bucket.Name, null, cancellationToken);
            return true;
        }
        catch (Exception e) when (GcsErrors.IsStoreFailure(e, cancellationToken))
        {
            return false;
        }
    }
}
