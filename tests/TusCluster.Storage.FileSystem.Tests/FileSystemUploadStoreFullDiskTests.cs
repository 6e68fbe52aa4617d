using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;
using static TusCluster.Storage.FileSystem.Tests.StoreFixture;

namespace TusCluster.Storage.FileSystem.Tests;

/// <summary>The store on a real volume that runs full (issue 12, item 2).</summary>
public sealed class FileSystemUploadStoreFullDiskTests : IDisposable
{
    private const int MiB = 1024 * 1024;
    private readonly SmallVolume _volume = SmallVolume.Mount(20);

    public void Dispose() => _volume.Dispose();

    [Fact]
    public async Task A_committed_chunk_settles_on_a_volume_without_room_for_a_second_copy_of_it()
    {
        var store = Create(_volume.Path);
        var record = await CreateUploadAsync(store, 15 * MiB);
        var first = RandomBytes(3 * MiB, 1);
        var second = RandomBytes(12 * MiB, 2);
        record = await AppendAsync(store, record, 4, first);

        // 15 MiB of 20 are in use now: a copy of the 12 MiB chunk would not fit beside it.
        var (committed, _) = await StageAndCommitAsync(store, record, 5, second);
        Assert.True(_volume.AvailableBytes < second.Length, $"{_volume.AvailableBytes} bytes are still free");
        await store.SettleAsync(committed, Ct);

        Assert.Equal(Concat(first, second), await ReadAllAsync(store, committed));
        Assert.Equal(["data"], Directory.EnumerateFiles(Path.Combine(_volume.Path, record.Id)).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Staging_on_a_full_volume_fails_as_out_of_space_and_leaves_no_chunk_file()
    {
        var store = Create(_volume.Path);
        var record = await CreateUploadAsync(store, 8 * MiB);
        _volume.Fill(leaveFree: 1 * MiB);

        var failure = await Assert.ThrowsAsync<StoreUnavailableException>(
            async () => await store.StageAsync(record, new FixedFenceStaging(5), new MemoryStream(RandomBytes(3 * MiB, 1)), Ct));

        Assert.True(failure.OutOfSpace, failure.ToString());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_volume.Path, record.Id)));
    }

    [Fact]
    public async Task Concatenation_on_a_volume_that_cannot_share_extents_copies_the_exact_bytes()
    {
        // tmpfs has no reflink: the clone is refused and the store copies, odd lengths and repeats included.
        var store = Create(_volume.Path);
        byte[][] parts = [RandomBytes(2 * MiB, 1), RandomBytes((2 * MiB) + 100, 2), RandomBytes(1 * MiB, 3)];
        var partials = new List<UploadRecord>();
        foreach (var part in parts)
        {
            partials.Add(await CreatePartialAsync(store, part));
        }

        partials.Add(partials[0]);
        var final = NewFinal(partials);
        var before = _volume.AvailableBytes;

        await store.ConcatenateAsync(final, partials, Ct);

        var expected = Concat([.. parts, parts[0]]);
        Assert.True(before - _volume.AvailableBytes >= expected.Length, $"only {before - _volume.AvailableBytes} bytes were written for a {expected.Length}-byte final");
        Assert.Equal(expected, await ReadAllAsync(store, final));
        Assert.Equal(["data"], Directory.EnumerateFiles(Path.Combine(_volume.Path, final.Id)).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Concatenation_on_a_full_volume_that_cannot_share_extents_fails_as_out_of_space_and_leaves_no_file()
    {
        var store = Create(_volume.Path);
        var partial = await CreatePartialAsync(store, RandomBytes(4 * MiB, 1));
        var final = NewFinal([partial, partial]);
        _volume.Fill(leaveFree: 1 * MiB);

        var failure = await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.ConcatenateAsync(final, [partial, partial], Ct));

        Assert.True(failure.OutOfSpace, failure.ToString());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_volume.Path, final.Id)));
    }

    [Fact]
    public async Task The_health_probe_on_a_full_volume_is_healthy_and_leaves_no_file_behind()
    {
        var store = Create(_volume.Path);
        _volume.Fill();

        for (var probe = 0; probe < 3; probe++)
        {
            Assert.True(await store.IsHealthyAsync(Ct));
        }

        Assert.Equal(["filler"], Directory.EnumerateFileSystemEntries(_volume.Path).Select(Path.GetFileName));
    }
}
