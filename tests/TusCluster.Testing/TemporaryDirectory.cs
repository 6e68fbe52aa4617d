namespace TusCluster.Testing;

/// <summary>A unique directory under the system temp path, deleted with everything in it on dispose.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tus-test-" + Guid.NewGuid().ToString("N"))).FullName;

    /// <summary>Every file and directory below <see cref="Path"/>, relative to it, with '/' separators, in order.</summary>
    public IReadOnlyList<string> Entries() => Relative(Directory.EnumerateFileSystemEntries(Path, "*", SearchOption.AllDirectories));

    /// <summary>The files (not directories) below <see cref="Path"/>, relative to it.</summary>
    public IReadOnlyList<string> Files() => Relative(Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories));

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }

    private IReadOnlyList<string> Relative(IEnumerable<string> entries) =>
        [.. entries.Select(entry => System.IO.Path.GetRelativePath(Path, entry).Replace(System.IO.Path.DirectorySeparatorChar, '/')).Order(StringComparer.Ordinal)];
}
