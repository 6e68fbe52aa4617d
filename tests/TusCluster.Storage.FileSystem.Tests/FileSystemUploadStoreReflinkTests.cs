using System.Security.Cryptography;
using TusCluster.Protocol.Uploads;
using static TusCluster.Storage.FileSystem.Tests.StoreFixture;

namespace TusCluster.Storage.FileSystem.Tests;

/// <summary>
/// Concatenation on a filesystem that shares extents (XFS with reflink): a final references its partials'
/// blocks instead of copying them (issue 12, item 3).
/// </summary>
public sealed class FileSystemUploadStoreReflinkTests : IDisposable
{
    private const int MiB = 1024 * 1024;
    private readonly ReflinkVolume _volume = ReflinkVolume.Mount();

    public void Dispose() => _volume.Dispose();

    [Fact]
    public async Task A_64_MiB_final_is_built_on_a_volume_without_room_for_a_copy_and_shares_every_extent()
    {
        var store = Create(_volume.Path);
        var large = RandomBytes(24 * MiB, 1);
        var small = RandomBytes(8 * MiB, 2);
        var a = await CreatePartialAsync(store, large);
        var b = await CreatePartialAsync(store, small);
        UploadRecord[] partials = [a, b, a, b];
        var final = NewFinal(partials);

        // A copy of the 64 MiB would need 64 MiB free: leave half of that.
        var before = _volume.Fill(leaveFree: 32 * MiB);
        Assert.InRange(before, 1, 33 * MiB);
        await store.ConcatenateAsync(final, partials, Ct);
        var after = _volume.AvailableBytes;

        // New extent references cost metadata blocks only (XFS may even hand back a few reserved blocks
        // meanwhile, so the count can rise a little); a copy would have failed with ENOSPC.
        Assert.InRange(before - after, -1 * MiB, 1 * MiB);
        var data = Path.Combine(_volume.Path, final.Id, "data");
        Assert.Equal(64 * MiB, new FileInfo(data).Length);
        Assert.Equal(SHA256.HashData(Concat(large, small, large, small)), await HashAsync(store, final));
        var extents = SharedFlags(data);
        Assert.NotEmpty(extents);
        Assert.All(extents, shared => Assert.True(shared, "an extent of the final is not shared with a partial"));
        Assert.Equal(large, await ReadAllAsync(store, a));
        Assert.Equal(small, await ReadAllAsync(store, b));
    }

    [Fact]
    public async Task Partials_of_odd_lengths_are_cloned_up_to_the_first_unaligned_end_and_copied_after_it()
    {
        var store = Create(_volume.Path);
        byte[][] parts = [RandomBytes(8 * MiB, 1), RandomBytes((8 * MiB) + 100, 2), [], RandomBytes(8 * MiB, 3), RandomBytes(1, 4)];
        var partials = new List<UploadRecord>();
        foreach (var part in parts)
        {
            partials.Add(await CreatePartialAsync(store, part));
        }

        var final = NewFinal(partials);
        var before = _volume.AvailableBytes;
        await store.ConcatenateAsync(final, partials, Ct);
        var after = _volume.AvailableBytes;

        // The first 16 MiB are referenced; the 100-byte tail and everything after it (8 MiB + 1 byte) is
        // copied, because a clone needs block-aligned offsets in the final. XFS's free count moves by a few
        // reserved blocks besides; a copy of everything would take 24 MiB.
        Assert.InRange(before - after, 7 * MiB, 10 * MiB);
        Assert.Equal(SHA256.HashData(Concat(parts)), await HashAsync(store, final));
        await store.ConcatenateAsync(final, partials, Ct);
        Assert.Equal(SHA256.HashData(Concat(parts)), await HashAsync(store, final));
        Assert.Equal(["data"], Directory.EnumerateFiles(Path.Combine(_volume.Path, final.Id)).Select(Path.GetFileName));
    }

    private static async Task<byte[]> HashAsync(FileSystemUploadStore store, UploadRecord upload)
    {
        await using var stream = await store.OpenReadAsync(upload, 0, long.MaxValue, Ct);
        return await SHA256.HashDataAsync(stream, Ct);
    }

    /// <summary>For each extent of the file (FIEMAP, through filefrag from e2fsprogs): whether it is shared with another file.</summary>
    private static List<bool> SharedFlags(string path)
    {
        var start = new System.Diagnostics.ProcessStartInfo("filefrag", ["-v", path]) { RedirectStandardOutput = true };
        using var filefrag = System.Diagnostics.Process.Start(start)!;
        var output = filefrag.StandardOutput.ReadToEnd();
        filefrag.WaitForExit();
        Assert.True(filefrag.ExitCode == 0, $"filefrag -v exited with {filefrag.ExitCode}: {output}");

        // Extent lines look like "   0:        0..    6143:         24..      6167:   6144:             shared".
        return [.. output.Split('\n')
            .Where(line => System.Text.RegularExpressions.Regex.IsMatch(line, @"^\s*\d+:\s+\d+\.\.\s*\d+:"))
            .Select(line => line.Contains("shared", StringComparison.Ordinal))];
    }
}
