using Azure;
using Azure.Storage.Blobs.Models;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Storage.Azure;

/// <summary>
/// Uploads in Azure Blob Storage: one block blob per tus upload. Chunks are staged as blocks whose ids
/// carry the writer's fence (<see cref="AzureChunkStager"/>); the committed blocks live in the store state
/// of the upload's record, never in a listing, and the blob's block list is committed once, at finish,
/// with exactly those blocks (<see cref="AzureUploadCompleter"/>). A stale writer can stage blocks but
/// none of them is ever listed, so it can never change committed bytes.
/// </summary>
internal sealed class AzureUploadStore(AzureContainer container) : IUploadStore
{
    private readonly AzureUploadCompleter _completer = new(container);
    private readonly AzureUploadConcatenator _concatenator = new(container);
    private readonly AzureUploadDeleter _deleter = new(container);

    public ValueTask<string?> CreateAsync(UploadRecord upload, CancellationToken cancellationToken)
    {
        // Nothing exists in Azure until the first bytes arrive; the id is checked now all the same.
        _ = container.Keys.Object(upload);
        return ValueTask.FromResult<string?>(null);
    }

    public ValueTask<StagedChunk> StageAsync(UploadRecord upload, IStagingContext staging, Stream chunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staging);
        var stager = new AzureChunkStager(container, upload, staging, cancellationToken);
        return AzureErrors.GuardAsync("stage a chunk of upload " + upload.Id, () => stager.StageAsync(chunk), cancellationToken);
    }

    public ValueTask DiscardAsync(UploadRecord upload, StagedChunk chunk, CancellationToken cancellationToken)
    {
        // Staged blocks are never listed, so they need no discarding; only a new tail blob is the writer's to remove.
        var staged = AzureUploadState.Parse(chunk.StoreState).Tail;
        return staged is null || staged.Name == AzureUploadState.Parse(upload.StoreState).Tail?.Name
            ? ValueTask.CompletedTask
            : AzureErrors.GuardAsync("discard a chunk of upload " + upload.Id, () => container.DeleteAsync([staged.Name], cancellationToken), cancellationToken);
    }

    public ValueTask SettleAsync(UploadRecord committed, CancellationToken cancellationToken)
    {
        // Only tails that a committed chunk has taken over are left to remove; deleting twice is harmless.
        var obsolete = AzureUploadState.Parse(committed.StoreState).Obsolete;
        return obsolete.IsEmpty
            ? ValueTask.CompletedTask
            : AzureErrors.GuardAsync("settle upload " + committed.Id, () => container.DeleteAsync(obsolete, cancellationToken), cancellationToken);
    }

    public ValueTask<string?> CompleteAsync(UploadRecord upload, CancellationToken cancellationToken) =>
        AzureErrors.GuardAsync<string?>(
            "complete upload " + upload.Id,
            async () =>
            {
                await _completer.CompleteAsync(upload, cancellationToken);
                return null;
            },
            cancellationToken);

    public ValueTask<string?> ConcatenateAsync(UploadRecord final, IReadOnlyList<UploadRecord> partials, CancellationToken cancellationToken) =>
        AzureErrors.GuardAsync<string?>(
            "concatenate upload " + final.Id,
            async () =>
            {
                await _concatenator.ConcatenateAsync(final, partials, cancellationToken);
                return null;
            },
            cancellationToken);

    public ValueTask<Stream> OpenReadAsync(UploadRecord upload, long offset, long count, CancellationToken cancellationToken) =>
        AzureErrors.GuardAsync(
            "read upload " + upload.Id,
            async () =>
            {
                var range = ReadRange.Of(upload, offset, count);
                if (range.IsEmpty)
                {
                    return (Stream)new MemoryStream([], writable: false);
                }

                var download = new BlobDownloadOptions { Range = new HttpRange(range.Offset, range.Length) };
                var response = await container.Blob(container.Keys.Object(upload)).DownloadStreamingAsync(download, cancellationToken);
                return new AzureBlobStream(response.Value);
            },
            cancellationToken);

    public ValueTask DeleteAsync(UploadRecord upload, CancellationToken cancellationToken) =>
        AzureErrors.GuardAsync("delete upload " + upload.Id, () => _deleter.DeleteAsync(container.Keys.Object(upload), cancellationToken), cancellationToken);

    public IReadOnlyDictionary<string, string> Describe(UploadRecord upload) =>
        new Dictionary<string, string> { ["Type"] = "azurestore", ["Container"] = container.Name, ["Blob"] = container.Keys.Object(upload) };

    public async ValueTask<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await container.Client.GetPropertiesAsync(conditions: null, cancellationToken);
            return true;
        }
        catch (Exception e) when (AzureErrors.IsStoreFailure(e, cancellationToken))
        {
            return false;
        }
    }
}
