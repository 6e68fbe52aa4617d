using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Storage.Azure;

/// <summary>
/// Stages one chunk: the committed tail (if any) and then the body fill one block buffer; every full
/// buffer is staged as a block whose id carries the writer's fence and a nonce of its own, so no other
/// writer's block can ever be mistaken for it; what is left at the end (less than a block) goes to a
/// new tail blob private to the writer. Nothing is reserved: block ids need no coordination, and Azure
/// commits only the blocks the finisher lists.
/// </summary>
internal sealed class AzureChunkStager(AzureContainer container, UploadRecord upload, IStagingContext staging, CancellationToken cancellationToken)
{
    public async Task<StagedChunk> StageAsync(Stream chunk)
    {
        var committed = AzureUploadState.Parse(upload.StoreState);
        var blockSize = committed.BlockSize > 0 ? committed.BlockSize : container.BlockSize;
        var name = container.Keys.Object(upload);
        var nonce = BlockIds.NewNonce();
        using var buffer = new PartBuffer(blockSize);
        if (committed.Tail is { } tail)
        {
            await container.ReadExactlyAsync(tail.Name, 0, buffer.Reserve(tail.Size), cancellationToken);
            buffer.Advance(tail.Size);
        }

        long received = 0;
        var staged = 0;
        while (true)
        {
            if (buffer.IsFull)
            {
                var index = committed.BlockCount + staged;
                if (index >= AzureStoreOptions.MaxBlocks)
                {
                    throw new StoreUnavailableException($"Upload {upload.Id} would need more than {AzureStoreOptions.MaxBlocks} blocks of {blockSize} bytes.");
                }

                await container.StageBlockAsync(name, BlockIds.Of(nonce, staging.FencingToken, index), buffer.Written, cancellationToken);
                staged++;
                buffer.Clear();
            }

            var read = await chunk.ReadAsync(buffer.FreeSpace(), cancellationToken);
            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            received += read;
        }

        if (received == 0)
        {
            return new StagedChunk(0, upload.StoreState);
        }

        TailBlob? newTail = null;
        if (buffer.Length > 0)
        {
            newTail = new TailBlob(container.Keys.Temp(upload, staging.FencingToken), buffer.Length);
            await container.UploadSmallAsync(newTail.Name, buffer.Written, cancellationToken);
        }

        var state = committed with
        {
            BlockSize = blockSize,
            Runs = staged > 0 ? committed.Runs.Add(new BlockRun(staging.FencingToken, nonce, staged)) : committed.Runs,
            Tail = newTail,
            Obsolete = committed.Tail is { } replaced ? [replaced.Name] : [],
        };
        return new StagedChunk(received, state.Format());
    }
}
