using System.Globalization;

namespace TusCluster.Testing;

/// <summary>
/// A real XFS filesystem with reflink (shared extents), made in a sparse image file on a loop device and
/// mounted on a fresh directory, so a test can see whether the store clones or copies. Like
/// <see cref="SmallVolume"/> it needs root (and xfsprogs, see tests/servers/install.sh), which CI and this
/// sandbox have; elsewhere the test fails with a message that says so rather than being skipped.
/// Unmounted, the loop device detached and the image deleted on dispose.
/// </summary>
public sealed class ReflinkVolume : IDisposable
{
    /// <summary>mkfs.xfs refuses smaller filesystems (since xfsprogs 5.19).</summary>
    public const int MinimumMegabytes = 300;

    private readonly string _image;
    private readonly string _device;

    private ReflinkVolume(string path, string image, string device)
    {
        Path = path;
        _image = image;
        _device = device;
    }

    public string Path { get; }

    public long AvailableBytes => new DriveInfo(Path).AvailableFreeSpace;

    public static ReflinkVolume Mount(int megabytes = MinimumMegabytes)
    {
        var name = $"tuscluster-xfs-{Guid.NewGuid():N}";
        var image = System.IO.Path.Combine(System.IO.Path.GetTempPath(), name + ".img");
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), name);
        using (var file = new FileStream(image, FileMode.CreateNew))
        {
            file.SetLength((long)megabytes * 1024 * 1024);
        }

        string? device = null;
        try
        {
            Require(Mounting.Run("mkfs.xfs", "-q", "-m", "reflink=1", image), "mkfs.xfs -m reflink=1 (package xfsprogs)");
            device = Require(Mounting.Run("losetup", "--find", "--show", image), "losetup --find").Trim();
            Directory.CreateDirectory(path);
            Require(Mounting.Run("mount", "-t", "xfs", device, path), $"mount -t xfs {device}");
            return new ReflinkVolume(path, image, device);
        }
        catch
        {
            if (device is { Length: > 0 })
            {
                Mounting.Run("losetup", "-d", device);
            }

            if (Directory.Exists(path))
            {
                Directory.Delete(path);
            }

            File.Delete(image);
            throw;
        }

        string Require((int ExitCode, string Output) result, string what)
        {
            if (result.ExitCode != 0)
            {
                Assert.Fail(
                    string.Create(CultureInfo.InvariantCulture, $"This test needs an XFS volume with reflink and could not make a {megabytes} MB one: ") +
                    $"{what} exited with {result.ExitCode}: {result.Output.Trim()}. Run the tests as root on a machine with loop devices and xfsprogs (CI does).");
            }

            return result.Output;
        }
    }

    /// <summary>
    /// Allocates (fallocate, no bytes written) a filler file until about <paramref name="leaveFree"/> bytes are
    /// left, so that a copy of more than that can no longer fit; returns the bytes still available.
    /// </summary>
    public long Fill(long leaveFree)
    {
        var size = AvailableBytes - leaveFree;
        if (size > 0)
        {
            using var filler = File.OpenHandle(System.IO.Path.Combine(Path, "filler"), FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.None, size);
        }

        return AvailableBytes;
    }

    public void Dispose()
    {
        Mounting.Unmount(Path);

        // A lazily unmounted device that is still busy is detached by the kernel once it is let go.
        Mounting.Run("losetup", "-d", _device);
        Directory.Delete(Path, recursive: true);
        File.Delete(_image);
    }
}
