using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Storage.Azure;

/// <summary>
/// Turns a complete upload into its blob: the tail becomes the last block, then the block list is
/// committed with exactly the committed blocks (any block a stale writer staged is left out, and Azure
/// drops it), with the content type and metadata; temporary blobs go last. Every step can be repeated:
/// a finisher that died half-way is completed by the next one.
/// </summary>
internal sealed class AzureUploadCompleter(AzureContainer container)
{
    public async Task CompleteAsync(UploadRecord upload, CancellationToken cancellationToken)
    {
        var state = AzureUploadState.Parse(upload.StoreState);
        if (state.Bytes != upload.Offset)
        {
            throw new InvalidDataException($"Upload {upload.Id} has {upload.Offset} bytes committed but its store state holds {state.Bytes}.");
        }

        var name = container.Keys.Object(upload);
        List<string> blocks = [.. state.BlockIdsInOrder()];
        if (state.Tail is { } tail)
        {
            var tailBlock = BlockIds.Of(BlockIds.TailNonce, 0, blocks.Count);
            if (!await TryStageTailAsync(name, tailBlock, tail, cancellationToken))
            {
                // Only a completer that got as far as removing temporary blobs deletes a tail.
                await EnsureCompletedAsync(name, upload, cancellationToken);
                return;
            }

            blocks.Add(tailBlock);
        }

        await container.CommitAsync(name, blocks, FinalObjectHeaders.From(upload.Metadata), cancellationToken);
        await container.DeleteTemporaryAsync(name, cancellationToken);
    }

    private async Task<bool> TryStageTailAsync(string name, string blockId, TailBlob tail, CancellationToken cancellationToken)
    {
        using var buffer = new PartBuffer(tail.Size);
        try
        {
            await container.ReadExactlyAsync(tail.Name, 0, buffer.Reserve(tail.Size), cancellationToken);
        }
        catch (Exception e) when (AzureErrors.IsNotFound(e))
        {
            return false;
        }

        buffer.Advance(tail.Size);
        await container.StageBlockAsync(name, blockId, buffer.Written, cancellationToken);
        return true;
    }

    private async Task EnsureCompletedAsync(string name, UploadRecord upload, CancellationToken cancellationToken)
    {
        var properties = await container.Blob(name).GetPropertiesAsync(conditions: null, cancellationToken);
        if (properties.Value.ContentLength != upload.Offset)
        {
            throw new InvalidDataException($"The tail of upload {upload.Id} is gone but its blob holds {properties.Value.ContentLength} of {upload.Offset} bytes.");
        }
    }
}
