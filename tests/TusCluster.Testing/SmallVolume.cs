using System.Globalization;

namespace TusCluster.Testing;

/// <summary>
/// A real, small filesystem (tmpfs of a fixed size) mounted on a fresh directory, so that a test can run
/// the store into ENOSPC for real. Mounting needs root, which CI and this sandbox have; elsewhere the test
/// fails with a message that says so rather than being skipped. Unmounted (lazily, if still busy) on dispose.
/// </summary>
public sealed class SmallVolume : IDisposable
{
    private SmallVolume(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public long AvailableBytes => new DriveInfo(Path).AvailableFreeSpace;

    public static SmallVolume Mount(int megabytes)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"tuscluster-volume-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        var (exitCode, output) = Mounting.Run("mount", "-t", "tmpfs", "-o", string.Create(CultureInfo.InvariantCulture, $"size={megabytes}m"), "tmpfs", path);
        if (exitCode != 0)
        {
            Directory.Delete(path);
            Assert.Fail(
                $"This test needs a small real volume and could not mount a {megabytes} MB tmpfs on {path} " +
                $"(mount exited with {exitCode}: {output.Trim()}). Run the tests as root (CI does).");
        }

        return new SmallVolume(path);
    }

    /// <summary>Fills the volume until fewer than <paramref name="leaveFree"/> bytes are left; returns the filler file.</summary>
    public string Fill(long leaveFree = 0)
    {
        var filler = System.IO.Path.Combine(Path, "filler");
        using var file = new FileStream(filler, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        var block = new byte[64 * 1024];
        try
        {
            while (AvailableBytes > leaveFree)
            {
                file.Write(block, 0, (int)Math.Min(block.Length, Math.Max(4096, AvailableBytes - leaveFree)));
                file.Flush();
            }
        }
        catch (IOException)
        {
            // Full.
        }

        return filler;
    }

    public void Dispose()
    {
        Mounting.Unmount(Path);
        Directory.Delete(Path, recursive: true);
    }
}
