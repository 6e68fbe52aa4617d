namespace TusCluster.Coordination.Embedded.Tests;

/// <summary>A unique directory under the system temp path, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        System.IO.Directory.CreateDirectory(Path);
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"tuscluster-coordination-tests-{Guid.NewGuid():N}");

    /// <summary>Every file and directory below <see cref="Path"/>, relative to it.</summary>
    public IReadOnlyList<string> Entries() =>
        [.. System.IO.Directory.EnumerateFileSystemEntries(Path, "*", SearchOption.AllDirectories)
            .Select(entry => System.IO.Path.GetRelativePath(Path, entry))
            .Order(StringComparer.Ordinal)];

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Path))
        {
            System.IO.Directory.Delete(Path, recursive: true);
        }
    }
}
