using System.Net;
using System.Net.Http.Headers;

namespace TusCluster.UploadService.Tests.Protocol;

public sealed class DownloadTests : IAsyncLifetime
{
    private TusServiceInstance _service = null!;

    public async ValueTask InitializeAsync() => _service = await TusServiceInstance.StartAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    [Fact]
    public async Task Ranges_resume_a_download()
    {
        var data = Tus.RandomBytes(1000);
        var upload = await Tus.UploadAsync(_service.Client, _service.FilesUrl, data, 1000);

        Assert.Equal(data[100..200], await GetRangeAsync(upload, 100, 199, HttpStatusCode.PartialContent, "bytes 100-199/1000"));
        Assert.Equal(data[900..], await GetRangeAsync(upload, 900, null, HttpStatusCode.PartialContent, "bytes 900-999/1000"));
        Assert.Equal(data[950..], await GetRangeAsync(upload, null, 50, HttpStatusCode.PartialContent, "bytes 950-999/1000"));
        Assert.Equal(data[990..], await GetRangeAsync(upload, 990, 5000, HttpStatusCode.PartialContent, "bytes 990-999/1000"));
        await GetRangeAsync(upload, 1000, null, HttpStatusCode.RequestedRangeNotSatisfiable, null);
    }

    [Fact]
    public async Task An_unfinished_upload_cannot_be_downloaded()
    {
        var upload = await Tus.CreateAsync(_service.Client, _service.FilesUrl, 10);

        using var response = await _service.Client.GetAsync(upload);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Theory]
    [InlineData("image/png", "inline", "image/png")]
    [InlineData("text/html", "attachment", "text/html")]
    [InlineData("image/svg+xml", "attachment", "image/svg+xml")]
    [InlineData("not a type", "attachment", "application/octet-stream")]
    public async Task Content_type_and_disposition_come_from_metadata_but_only_safe_types_are_inline(string type, string disposition, string contentType)
    {
        var metadata = $"filename {Convert.ToBase64String("report ü.bin"u8.ToArray())},filetype {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(type))}";
        var upload = await Tus.UploadAsync(_service.Client, _service.FilesUrl, [1], 1, metadata);

        using var response = await _service.Client.GetAsync(upload);

        Assert.Equal(contentType, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(disposition, response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("report ü.bin", response.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal("nosniff", Tus.Header(response, "X-Content-Type-Options"));
    }

    private async Task<byte[]> GetRangeAsync(Uri upload, long? from, long? to, HttpStatusCode expected, string? contentRange)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, upload);
        request.Headers.Range = new RangeHeaderValue(from, to);
        using var response = await _service.Client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        if (contentRange is not null)
        {
            Assert.Equal(contentRange, response.Content.Headers.ContentRange!.ToString());
        }

        return await response.Content.ReadAsByteArrayAsync();
    }
}
