using Azure;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Storage.Azure;

/// <summary>
/// Writes a final upload as blocks taken from its partials' blobs, in order, a block size at a time:
/// staged from the partial's URL (Azure copies, nothing passes through here) where the credential can
/// sign one and the service implements it, otherwise read and staged through one block buffer (azurite
/// answers Put Block From URL with 501; after the first such answer every later block is copied
/// through). Ids are fixed by position, so a repeat after a crash stages the same bytes under the same ids.
/// </summary>
internal sealed class AzureUploadConcatenator(AzureContainer container)
{
    private volatile bool _fromUrl = container.CanStageFromUrl;

    public async Task ConcatenateAsync(UploadRecord final, IReadOnlyList<UploadRecord> partials, CancellationToken cancellationToken)
    {
        var name = container.Keys.Object(final);
        var blocks = new List<string>();
        PartBuffer? buffer = null;
        try
        {
            foreach (var partial in partials)
            {
                var source = container.Keys.Object(partial);
                var length = partial.Length ?? throw new InvalidOperationException($"Partial upload {partial.Id} has no length.");
                for (long offset = 0; offset < length; offset += container.BlockSize)
                {
                    if (blocks.Count >= AzureStoreOptions.MaxBlocks)
                    {
                        throw new StoreUnavailableException($"Final upload {final.Id} would need more than {AzureStoreOptions.MaxBlocks} blocks.");
                    }

                    var blockId = BlockIds.Of(BlockIds.ConcatenationNonce, 0, blocks.Count);
                    var count = (int)Math.Min(container.BlockSize, length - offset);
                    if (!_fromUrl || !await TryStageFromUrlAsync(name, blockId, source, offset, count, cancellationToken))
                    {
                        buffer ??= new PartBuffer(container.BlockSize);
                        buffer.Clear();
                        await container.ReadExactlyAsync(source, offset, buffer.Reserve(count), cancellationToken);
                        buffer.Advance(count);
                        await container.StageBlockAsync(name, blockId, buffer.Written, cancellationToken);
                    }

                    blocks.Add(blockId);
                }
            }
        }
        finally
        {
            buffer?.Dispose();
        }

        await container.CommitAsync(name, blocks, FinalObjectHeaders.From(final.Metadata), cancellationToken);
    }

    private async Task<bool> TryStageFromUrlAsync(string name, string blockId, string source, long offset, int count, CancellationToken cancellationToken)
    {
        try
        {
            await container.StageBlockFromBlobAsync(name, blockId, source, offset, count, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 501)
        {
            _fromUrl = false;
            return false;
        }
    }
}
