namespace TusCluster.Storage.FileSystem;

/// <summary>Bound from <c>Tus:Storage:FileSystem</c>.</summary>
public sealed class FileSystemStoreOptions
{
    public const string SectionName = "Tus:Storage:FileSystem";

    /// <summary>Directory that holds every upload; relative paths are resolved against the working directory.</summary>
    public string Root { get; set; } = "data/uploads";

    /// <summary>Place uploads under yyyy/MM/dd/ of their creation date, so no directory holds them all.</summary>
    public bool DatePartitioned { get; set; }

    /// <summary>
    /// fsync every chunk before its offset is committed. Off: a process crash loses nothing (the page
    /// cache survives it) but a power loss or kernel crash can lose acknowledged bytes.
    /// </summary>
    public bool Fsync { get; set; }
}
