namespace TusCluster.Storage.FileSystem.Tests;

/// <summary>A unique directory under the system temp path, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        System.IO.Directory.CreateDirectory(Path);
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"tuscluster-filestore-tests-{Guid.NewGuid():N}");

    /// <summary>Every file and directory below <see cref="Path"/>, relative to it, with '/' separators.</summary>
    public IReadOnlyList<string> Entries() =>
        [.. System.IO.Directory.EnumerateFileSystemEntries(Path, "*", SearchOption.AllDirectories)
            .Select(entry => System.IO.Path.GetRelativePath(Path, entry).Replace(System.IO.Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)];

    /// <summary>The files (not directories) below <see cref="Path"/>, relative to it.</summary>
    public IReadOnlyList<string> Files() =>
        [.. System.IO.Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories)
            .Select(entry => System.IO.Path.GetRelativePath(Path, entry).Replace(System.IO.Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)];

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Path))
        {
            System.IO.Directory.Delete(Path, recursive: true);
        }
    }
}
