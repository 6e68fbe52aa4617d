namespace TusCluster.Storage.Gcs;

/// <summary>Deletes an upload's objects: named chunks, or everything under its final name (final, chunks, intermediates).</summary>
internal sealed class UploadObjectsDeleter(GcsBucket bucket)
{
    public async Task DeleteAsync(IEnumerable<ChunkObject> chunks, CancellationToken cancellationToken)
    {
        foreach (var chunk in chunks)
        {
            await bucket.DeleteAsync(chunk.Name, chunk.Generation, cancellationToken);
        }
    }

    /// <summary>
    /// Everything whose name starts with <paramref name="final"/>: ids have a fixed length, so that is this
    /// upload only. Listed first and then deleted, so a page token never points at what was removed.
    /// </summary>
    public async Task DeleteAllAsync(string final, CancellationToken cancellationToken)
    {
        var found = new List<(string Name, long? Generation)>();
        await foreach (var item in bucket.ListAsync(final, cancellationToken))
        {
            found.Add((item.Name, item.Generation));
        }

        foreach (var (name, generation) in found)
        {
            await bucket.DeleteAsync(name, generation, cancellationToken);
        }
    }
}
