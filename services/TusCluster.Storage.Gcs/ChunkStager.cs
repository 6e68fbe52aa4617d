using System.Buffers;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Storage.Gcs;

/// <summary>
/// Stages one chunk as a new object named with the writer's fence (created with ifGenerationMatch=0, so
/// nothing existing is ever replaced). A committed last chunk smaller than the component size is merged
/// in front of the body, so that every chunk but the last reaches the component size; the merged chunk
/// is deleted only when a state without it has been committed and settled.
/// </summary>
internal sealed class ChunkStager(GcsBucket bucket, UploadRecord upload, IStagingContext staging, CancellationToken cancellationToken)
{
    private const int FirstRead = 64 * 1024;

    public async Task<StagedChunk> StageAsync(Stream body)
    {
        var first = ArrayPool<byte>.Shared.Rent(FirstRead);
        try
        {
            // Nothing touches GCS until the first bytes arrive, so an empty body costs nothing.
            var read = await body.ReadAsync(first.AsMemory(0, FirstRead), cancellationToken);
            return read == 0 ? new StagedChunk(0, upload.StoreState) : await WriteAsync(first.AsMemory(0, read), body);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(first);
        }
    }

    private async Task<StagedChunk> WriteAsync(ReadOnlyMemory<byte> first, Stream body)
    {
        var committed = GcsUploadState.Parse(upload.StoreState);
        var tail = committed.Chunks.LastOrDefault() is { } last && last.Size < bucket.ComponentSize ? last : null;
        var name = bucket.Names.Temp(upload, staging.FencingToken);
        await using var tailBytes = tail is null || tail.Size == 0 ? null : await bucket.OpenReadAsync(tail.Name, tail.Generation, 0, tail.Size, cancellationToken);
        var source = new ChunkSource(tailBytes, first, body);
        Google.Apis.Storage.v1.Data.Object written;
        try
        {
            written = await bucket.CreateAsync(name, source, null, cancellationToken);
        }
        catch (Exception) when (source.BodyFailure is { } bodyFailure)
        {
            await DeleteQuietlyAsync(name);
            bodyFailure.Throw();
            throw;
        }
        catch
        {
            await DeleteQuietlyAsync(name);
            throw;
        }

        var size = (long)(written.Size ?? 0);
        var chunk = new ChunkObject(name, written.Generation ?? 0, size);
        if (size != (tail?.Size ?? 0) + source.BodyBytes)
        {
            await DeleteQuietlyAsync(name);
            throw new StoreUnavailableException($"GCS stored {size} bytes for chunk {name}, {(tail?.Size ?? 0) + source.BodyBytes} were sent.");
        }

        var staged = committed with
        {
            Chunks = tail is null ? committed.Chunks.Add(chunk) : committed.Chunks.SetItem(committed.Chunks.Length - 1, chunk),
            Obsolete = tail is null ? [] : [tail],
            Final = null,
        };
        return new StagedChunk(source.BodyBytes, staged.Format());
    }

    /// <summary>Best effort: a chunk object nobody will reference; the sweeper's orphan reclaim finds what is left.</summary>
    private async Task DeleteQuietlyAsync(string name)
    {
        try
        {
            await bucket.DeleteAsync(name, null, CancellationToken.None);
        }
        catch (Exception e) when (GcsErrors.IsStoreFailure(e, CancellationToken.None))
        {
            // The original failure is what matters.
        }
    }
}
