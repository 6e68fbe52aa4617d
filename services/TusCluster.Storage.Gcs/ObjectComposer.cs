using Object = Google.Apis.Storage.v1.Data.Object;

namespace TusCluster.Storage.Gcs;

/// <summary>
/// Builds one object from many: compose in levels of 32 (GCS's limit per call) through intermediate
/// objects that are deleted afterwards. Sources that together count more than GCS's 1024 components
/// (concatenating many partials) are instead streamed through into a new object.
/// </summary>
internal sealed class ObjectComposer(GcsBucket bucket)
{
    public async Task<Object> ComposeAsync(string destination, IReadOnlyList<ComposeSource> sources, ObjectHeaders headers, CancellationToken cancellationToken)
    {
        if (sources.Count == 0)
        {
            return await bucket.CreateAsync(destination, Stream.Null, headers, cancellationToken);
        }

        if (sources.Sum(s => (long)s.Components) > GcsBucket.MaxComponents)
        {
            await using var concatenated = new ConcatenatedObjects(bucket, sources, cancellationToken);
            return await bucket.CreateAsync(destination, concatenated, headers, cancellationToken);
        }

        var intermediates = new List<ComposeSource>();
        try
        {
            var level = sources;
            while (level.Count > GcsBucket.MaxComposeSources)
            {
                var next = new List<ComposeSource>();
                foreach (var group in level.Chunk(GcsBucket.MaxComposeSources))
                {
                    if (group.Length == 1)
                    {
                        next.Add(group[0]);
                        continue;
                    }

                    var made = await bucket.ComposeAsync(group, TempObjectNames.Intermediate(destination), null, cancellationToken);
                    var intermediate = new ComposeSource(made.Name, made.Generation ?? 0, group.Sum(s => s.Size), group.Sum(s => s.Components));
                    intermediates.Add(intermediate);
                    next.Add(intermediate);
                }

                level = next;
            }

            return await bucket.ComposeAsync(level, destination, headers, cancellationToken);
        }
        finally
        {
            foreach (var intermediate in intermediates)
            {
                await DeleteQuietlyAsync(intermediate);
            }
        }
    }

    private async Task DeleteQuietlyAsync(ComposeSource intermediate)
    {
        try
        {
            await bucket.DeleteAsync(intermediate.Name, intermediate.Generation, CancellationToken.None);
        }
        catch (Exception e) when (GcsErrors.IsStoreFailure(e, CancellationToken.None))
        {
            // Left under the upload's names for its deletion or the sweeper's orphan reclaim.
        }
    }
}
