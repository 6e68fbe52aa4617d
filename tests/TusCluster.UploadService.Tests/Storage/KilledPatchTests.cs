using System.Globalization;
using System.Net;

namespace TusCluster.UploadService.Tests.Storage;

/// <summary>A PATCH whose process is killed mid-body (issue 12, item 7).</summary>
[Trait("Store", "FileSystem")]
public sealed class KilledPatchTests
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task The_staging_file_of_a_patch_killed_mid_body_is_gone_after_the_next_patch_and_the_upload_completes_byte_exact()
    {
        using var data = new TemporaryDirectory();
        var bytes = Tus.RandomBytes(8 * MiB);
        Uri upload;
        string directory;
        await using (var killed = ServiceProcess.Start(data.Path))
        {
            await killed.WaitUntilReadyAsync();
            using var client = new HttpClient();
            upload = await Tus.CreateAsync(client, killed.FilesUrl, bytes.Length);
            directory = Path.Combine(data.Path, "uploads", upload.Segments[^1]);
            using (var first = await Tus.PatchAsync(client, upload, 0, bytes[..MiB]))
            {
                Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
            }

            await using var patch = await RawHttpConnection.OpenAsync(upload);
            await patch.SendHeadAsync(
                "PATCH", upload, "Tus-Resumable: 1.0.0", $"Upload-Offset: {MiB}", "Content-Type: application/offset+octet-stream",
                string.Create(CultureInfo.InvariantCulture, $"Content-Length: {bytes.Length - MiB}"));
            await patch.SendAsync(bytes.AsMemory(MiB, 3 * MiB));
            await WaitForStagedBytesAsync(directory, 2 * MiB);

            await killed.KillAsync();
        }

        Assert.NotEmpty(Directory.EnumerateFiles(directory, "*.chunk"));

        await using var restarted = ServiceProcess.Start(data.Path);
        await restarted.WaitUntilReadyAsync();
        using var again = new HttpClient();
        var resumed = new Uri(restarted.FilesUrl, upload.Segments[^1]);
        var offset = await Tus.OffsetAsync(again, resumed);
        Assert.Equal(MiB, offset);

        using (var rest = await Tus.PatchAsync(again, resumed, offset, bytes[(int)offset..]))
        {
            Assert.Equal(HttpStatusCode.NoContent, rest.StatusCode);
        }

        Assert.Equal(["data"], Directory.EnumerateFiles(directory).Select(Path.GetFileName));
        Assert.Equal(bytes, await again.GetByteArrayAsync(resumed));
    }

    private static async Task WaitForStagedBytesAsync(string directory, long atLeast)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (Directory.EnumerateFiles(directory, "*.chunk").Sum(chunk => new FileInfo(chunk).Length) < atLeast)
        {
            Assert.True(DateTime.UtcNow < deadline, $"No chunk of {atLeast} bytes was staged in {directory}.");
            await Task.Delay(25);
        }
    }
}
