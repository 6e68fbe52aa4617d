namespace TusCluster.UploadService.Hosting;

/// <summary>Bounds of the receive blocks (Tus:Server:ReceiveBlockSize).</summary>
internal static class ServerOptionsLimits
{
    /// <summary>Kestrel's own block size: this value keeps Kestrel's pool.</summary>
    public const int MinReceiveBlockSize = 4096;

    public const int MaxReceiveBlockSize = 1024 * 1024;

    /// <summary>Unused blocks kept for reuse, in bytes (64 MiB, for the whole process); more are left to the GC.</summary>
    public const int RetainedReceiveBytes = 64 * 1024 * 1024;

    public static bool IsValidReceiveBlockSize(int size) => size is >= MinReceiveBlockSize and <= MaxReceiveBlockSize;

    /// <summary>Whether <paramref name="size"/> asks for our pool: valid, and larger than Kestrel's own blocks.</summary>
    public static bool UsesLargeBlocks(int size) => size > MinReceiveBlockSize && IsValidReceiveBlockSize(size);
}
