using Amazon.S3.Model;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Storage.S3;

/// <summary>
/// Uploads in S3: one multipart upload per tus upload, with the upload's state (multipart upload id,
/// committed parts, next part number, tail object) in coordination rather than derived from listings.
/// Part numbers are reserved under the writer's fence before use and never reused, so a stale writer can only
/// write into a number that no completion will ever list; bytes short of a part wait in a temporary
/// object private to their writer. See <see cref="ChunkStager"/> and <see cref="UploadCompleter"/>.
/// </summary>
internal sealed class S3UploadStore(S3Bucket bucket) : IUploadStore
{
    private readonly UploadCompleter _completer = new(bucket);
    private readonly UploadConcatenator _concatenator = new(bucket);
    private readonly UploadDeleter _deleter = new(bucket);

    public ValueTask<string?> CreateAsync(UploadRecord upload, CancellationToken cancellationToken)
    {
        // Nothing exists in S3 until the first bytes arrive; the id is checked now all the same.
        _ = bucket.Keys.Object(upload);
        return ValueTask.FromResult<string?>(null);
    }

    public async ValueTask<StagedChunk> StageAsync(UploadRecord upload, IStagingContext staging, Stream chunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staging);
        var stager = new ChunkStager(bucket, upload, staging, cancellationToken);
        return await S3Errors.GuardAsync("stage a chunk of upload " + upload.Id, () => stager.StageAsync(chunk), cancellationToken);
    }

    public ValueTask DiscardAsync(UploadRecord upload, StagedChunk chunk, CancellationToken cancellationToken) =>
        S3Errors.GuardAsync(
            "discard a chunk of upload " + upload.Id,
            async () =>
            {
                var committed = S3UploadState.Parse(upload.StoreState);
                var staged = S3UploadState.Parse(chunk.StoreState);
                if (staged.Tail is { } tail && tail.Key != committed.Tail?.Key)
                {
                    await bucket.DeleteAsync([tail.Key], cancellationToken);
                }

                if (staged is { CreatedWithChunk: true, MultipartUploadId: { } created } && created != committed.MultipartUploadId)
                {
                    await bucket.AbortMultipartAsync(bucket.Keys.Object(upload), created, cancellationToken);
                }
            },
            cancellationToken);

    public ValueTask SettleAsync(UploadRecord committed, CancellationToken cancellationToken)
    {
        // Only temporary objects whose bytes a committed chunk took over are left to remove; deleting an
        // object twice is harmless, so settlers may repeat and race.
        var obsolete = S3UploadState.Parse(committed.StoreState).Obsolete;
        return obsolete.IsEmpty
            ? ValueTask.CompletedTask
            : S3Errors.GuardAsync("settle upload " + committed.Id, () => bucket.DeleteAsync(obsolete, cancellationToken), cancellationToken);
    }

    public ValueTask<string?> CompleteAsync(UploadRecord upload, CancellationToken cancellationToken) =>
        S3Errors.GuardAsync<string?>(
            "complete upload " + upload.Id,
            async () =>
            {
                await _completer.CompleteAsync(upload, cancellationToken);
                return null;
            },
            cancellationToken);

    public ValueTask<string?> ConcatenateAsync(UploadRecord final, IReadOnlyList<UploadRecord> partials, CancellationToken cancellationToken) =>
        S3Errors.GuardAsync<string?>(
            "concatenate upload " + final.Id,
            async () =>
            {
                await _concatenator.ConcatenateAsync(final, partials, cancellationToken);
                return null;
            },
            cancellationToken);

    public ValueTask<Stream> OpenReadAsync(UploadRecord upload, long offset, long count, CancellationToken cancellationToken) =>
        S3Errors.GuardAsync(
            "read upload " + upload.Id,
            async () =>
            {
                var range = ReadRange.Of(upload, offset, count);
                if (range.IsEmpty)
                {
                    return (Stream)new MemoryStream([], writable: false);
                }

                var request = new GetObjectRequest { BucketName = bucket.Name, Key = bucket.Keys.Object(upload), ByteRange = new ByteRange(range.Offset, range.End - 1) };
                return new S3ObjectStream(await bucket.Client.GetObjectAsync(request, cancellationToken));
            },
            cancellationToken);

    public ValueTask DeleteAsync(UploadRecord upload, CancellationToken cancellationToken) =>
        S3Errors.GuardAsync(
            "delete upload " + upload.Id,
            () => _deleter.DeleteAsync(bucket.Keys.Object(upload), S3UploadState.Parse(upload.StoreState).MultipartUploadId, cancellationToken),
            cancellationToken);

    public IReadOnlyDictionary<string, string> Describe(UploadRecord upload) =>
        new Dictionary<string, string> { ["Type"] = "s3store", ["Bucket"] = bucket.Name, ["Key"] = bucket.Keys.Object(upload) };

    public async ValueTask<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await bucket.Client.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket.Name }, cancellationToken);
            return true;
        }
        catch (Exception e) when (S3Errors.IsStoreFailure(e, cancellationToken))
        {
            return false;
        }
    }
}
