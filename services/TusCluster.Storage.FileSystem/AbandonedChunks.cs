namespace TusCluster.Storage.FileSystem;

/// <summary>
/// Chunk files that can never be committed any more: staged under an older fence than the current
/// holder's by a writer that died mid-body (kill -9) or lost its lease. The chunk the record names as
/// committed is kept (it is settled, never deleted), and so is every chunk of a newer fence.
/// </summary>
internal static class AbandonedChunks
{
    /// <summary>Deletes them from an upload's directory; returns the bytes freed. Best effort: a file that cannot be deleted now is found again later.</summary>
    public static long Remove(string uploadDirectory, long holderFence, string? committedStoreState)
    {
        if (!Directory.Exists(uploadDirectory))
        {
            return 0;
        }

        var committedFence = PendingChunk.Parse(committedStoreState)?.Fence;
        long freed = 0;
        foreach (var file in new DirectoryInfo(uploadDirectory).EnumerateFiles("*" + UploadPaths.ChunkExtension))
        {
            if (UploadPaths.ChunkFence(file.Name) is not { } fence || fence >= holderFence || fence == committedFence)
            {
                continue;
            }

            try
            {
                var length = file.Length;
                file.Delete();
                freed += length;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Deleted meanwhile, or not deletable now: the next holder or sweep tries again.
            }
        }

        return freed;
    }
}
