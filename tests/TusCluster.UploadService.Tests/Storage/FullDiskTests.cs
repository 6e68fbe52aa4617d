using System.Net;

namespace TusCluster.UploadService.Tests.Storage;

/// <summary>
/// The service on a real 64 MB volume that holds both the uploads and the records (issue 12, item 2).
/// </summary>
[Trait("Store", "FileSystem")]
public sealed class FullDiskTests : IDisposable
{
    private const int MiB = 1024 * 1024;
    private readonly SmallVolume _volume = SmallVolume.Mount(64);

    public void Dispose() => _volume.Dispose();

    [Fact]
    public async Task A_40_MB_upload_whose_last_chunk_has_no_room_for_a_second_copy_completes_byte_exact()
    {
        var bytes = Tus.RandomBytes(40 * MiB);
        await using var service = ServiceProcess.Start(_volume.Path);
        await service.WaitUntilReadyAsync();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var upload = await Tus.CreateAsync(client, service.FilesUrl, bytes.Length);

        using (var first = await Tus.PatchAsync(client, upload, 0, bytes[..(10 * MiB)]))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        }

        using (var rest = await Tus.PatchAsync(client, upload, 10 * MiB, bytes[(10 * MiB)..]))
        {
            Assert.True(rest.StatusCode == HttpStatusCode.NoContent, $"{(int)rest.StatusCode} {await rest.Content.ReadAsStringAsync()}\n{service.Output}");
            Assert.Equal(bytes.Length, Tus.Offset(rest));
        }

        Assert.Equal(bytes.Length, await Tus.OffsetAsync(client, upload));
        Assert.Equal(bytes, await client.GetByteArrayAsync(upload));
        using var ready = await client.GetAsync(new Uri(service.BaseAddress, "/readyz"));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(["data"], Directory.EnumerateFiles(UploadDirectory(upload)).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_full_volume_refuses_writes_with_507_serves_committed_bytes_stays_ready_and_recovers_once_space_is_freed()
    {
        var finished = Tus.RandomBytes(8 * MiB);
        var pending = Tus.RandomBytes(12 * MiB);
        await using var service = ServiceProcess.Start(_volume.Path);
        await service.WaitUntilReadyAsync();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var done = await Tus.UploadAsync(client, service.FilesUrl, finished, 3 * MiB);
        var upload = await Tus.CreateAsync(client, service.FilesUrl, pending.Length);
        using (var first = await Tus.PatchAsync(client, upload, 0, pending[..(4 * MiB)]))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        }

        var filler = _volume.Fill();

        using (var refused = await Tus.PatchAsync(client, upload, 4 * MiB, pending[(4 * MiB)..]))
        {
            Assert.True(refused.StatusCode == HttpStatusCode.InsufficientStorage, $"{(int)refused.StatusCode} {await refused.Content.ReadAsStringAsync()}\n{service.Output}");
            Assert.NotNull(refused.Headers.RetryAfter);
        }

        Assert.Equal(4 * MiB, await Tus.OffsetAsync(client, upload));
        Assert.Equal(finished, await client.GetByteArrayAsync(done));
        for (var probe = 0; probe < 3; probe++)
        {
            using var ready = await client.GetAsync(new Uri(service.BaseAddress, "/readyz"));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(_volume.Path, ".probe-*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(_volume.Path, "*.chunk", SearchOption.AllDirectories));

        // Space is freed: the same PATCH now succeeds, with no restart and nothing else done.
        File.Delete(filler);
        using (var resumed = await Tus.PatchAsync(client, upload, 4 * MiB, pending[(4 * MiB)..]))
        {
            Assert.Equal(HttpStatusCode.NoContent, resumed.StatusCode);
        }

        Assert.Equal(pending, await client.GetByteArrayAsync(upload));
    }

    private string UploadDirectory(Uri upload) => Path.Combine(_volume.Path, "uploads", upload.Segments[^1]);
}
