using System.Net;

namespace TusCluster.UploadService.Tests.Protocol;

public sealed class TerminationTests : IAsyncLifetime
{
    private TusServiceInstance _service = null!;

    public async ValueTask InitializeAsync() => _service = await TusServiceInstance.StartAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    [Fact]
    [Trait("Store", "FileSystem")] // Looks at the file store's own files; the S3 store's tests cover its side.
    public async Task A_terminated_upload_is_gone_and_its_bytes_are_deleted()
    {
        var upload = await Tus.CreateAsync(_service.Client, _service.FilesUrl, 100);
        (await Tus.PatchAsync(_service.Client, upload, 0, new byte[50])).Dispose();
        var directory = Path.Combine(_service.DataDirectory, "uploads", upload.Segments[^1]);
        Assert.True(Directory.Exists(directory));

        using (var delete = await _service.Client.SendAsync(Tus.Request(HttpMethod.Delete, upload)))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        Assert.False(Directory.Exists(directory));
        using var head = await Tus.HeadAsync(_service.Client, upload);
        using var patch = await Tus.PatchAsync(_service.Client, upload, 50, new byte[1]);
        using var get = await _service.Client.GetAsync(upload);
        using var again = await _service.Client.SendAsync(Tus.Request(HttpMethod.Delete, upload));
        Assert.Equal(HttpStatusCode.Gone, head.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, patch.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, get.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
    }

    [Fact]
    public async Task Deleting_an_unknown_upload_is_404()
    {
        using var response = await _service.Client.SendAsync(Tus.Request(HttpMethod.Delete, new Uri(_service.FilesUrl, "0123456789abcdef0123456789abcdef")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    [Trait("Store", "FileSystem")] // Looks at the file store's own files; the S3 store's tests cover its side.
    public async Task Delete_takes_the_upload_over_from_a_running_patch()
    {
        var upload = await Tus.CreateAsync(_service.Client, _service.FilesUrl, 10_000_000);
        await using var writer = await RawHttpConnection.OpenAsync(upload);
        await writer.SendHeadAsync("PATCH", upload, "Tus-Resumable: 1.0.0", "Upload-Offset: 0", "Content-Type: application/offset+octet-stream", "Content-Length: 10000000");
        await writer.SendAsync(new byte[400_000]);
        await _service.WaitForStagedChunkAsync(upload);

        using var delete = await _service.Client.SendAsync(Tus.Request(HttpMethod.Delete, upload));
        var patch = await writer.ReadResponseHeadAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(204, patch.Status);
        using var head = await Tus.HeadAsync(_service.Client, upload);
        Assert.Equal(HttpStatusCode.Gone, head.StatusCode);
    }
}
