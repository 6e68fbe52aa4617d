using System.Globalization;

namespace TusCluster.Storage.FileSystem;

/// <summary>
/// The store state this store commits: the last committed chunk, which may not have been moved into
/// the data file yet ("&lt;fence&gt;:&lt;start&gt;:&lt;length&gt;"). Once moved, its chunk file is gone.
/// </summary>
internal readonly record struct PendingChunk(long Fence, long Start, long Length)
{
    public string Format() => string.Create(CultureInfo.InvariantCulture, $"{Fence}:{Start}:{Length}");

    public static PendingChunk? Parse(string? state)
    {
        if (string.IsNullOrEmpty(state))
        {
            return null;
        }

        var parts = state.Split(':');
        return parts.Length == 3
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var fence)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            ? new PendingChunk(fence, start, length)
            : throw new InvalidDataException($"Unreadable file-store state '{state}'.");
    }
}
