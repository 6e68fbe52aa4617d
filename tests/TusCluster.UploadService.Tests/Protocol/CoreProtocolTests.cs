using System.Net;

namespace TusCluster.UploadService.Tests.Protocol;

public sealed class CoreProtocolTests : IAsyncLifetime
{
    private TusServiceInstance _service = null!;

    public async ValueTask InitializeAsync() => _service = await TusServiceInstance.StartAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    [Fact]
    public async Task Options_lists_version_extensions_limits_and_algorithms_without_Tus_Resumable()
    {
        foreach (var url in new[] { _service.FilesUrl, new Uri(_service.FilesUrl, "0123456789abcdef0123456789abcdef") })
        {
            using var response = await _service.Client.SendAsync(new HttpRequestMessage(HttpMethod.Options, url));
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Equal("1.0.0", Tus.Header(response, "Tus-Version"));
            Assert.Equal(
                ["checksum", "checksum-trailer", "concatenation", "concatenation-unfinished", "creation", "creation-defer-length", "creation-with-upload", "expiration", "termination"],
                Tus.Header(response, "Tus-Extension")!.Split(',').Order());
            Assert.Equal("10737418240", Tus.Header(response, "Tus-Max-Size"));
            Assert.Equal("sha1,md5,sha256", Tus.Header(response, "Tus-Checksum-Algorithm"));
            Assert.Null(Tus.Header(response, "Tus-Resumable"));
        }
    }

    [Fact]
    public async Task Chunked_upload_reads_back_byte_identical()
    {
        var data = Tus.RandomBytes(3 * 1024 * 1024 + 17);
        var upload = await Tus.UploadAsync(_service.Client, _service.FilesUrl, data, 700_000);

        Assert.Equal(data, await _service.Client.GetByteArrayAsync(upload));
    }

    [Fact]
    public async Task Head_reports_offset_length_metadata_expiry_and_is_not_cached()
    {
        var upload = await Tus.CreateAsync(_service.Client, _service.FilesUrl, 100, "filename aGVsbG8udHh0,empty");
        using (var patch = await Tus.PatchAsync(_service.Client, upload, 0, new byte[40]))
        {
            Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
            Assert.Equal(40, Tus.Offset(patch));
            Assert.Equal("1.0.0", Tus.Header(patch, "Tus-Resumable"));
        }

        using var head = await Tus.HeadAsync(_service.Client, upload);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(40, Tus.Offset(head));
        Assert.Equal("100", Tus.Header(head, "Upload-Length"));
        Assert.Equal("filename aGVsbG8udHh0,empty", Tus.Header(head, "Upload-Metadata"));
        Assert.Equal("no-store", Tus.Header(head, "Cache-Control"));
        Assert.Equal("1.0.0", Tus.Header(head, "Tus-Resumable"));
        var expires = DateTimeOffset.ParseExact(Tus.Header(head, "Upload-Expires")!, "R", System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires, DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddHours(25));
    }

    [Fact]
    public async Task Offset_mismatch_is_409_with_the_current_offset()
    {
        var upload = await Tus.CreateAsync(_service.Client, _service.FilesUrl, 10);
        (await Tus.PatchAsync(_service.Client, upload, 0, new byte[4])).Dispose();

        using var response = await Tus.PatchAsync(_service.Client, upload, 0, new byte[4]);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(4, Tus.Offset(response));
        Assert.Equal(4, await Tus.OffsetAsync(_service.Client, upload));
    }

    [Fact]
    public async Task Deferred_length_is_set_by_a_later_patch()
    {
        var upload = await Tus.CreateAsync(_service.Client, _service.FilesUrl, null);
        using (var head = await Tus.HeadAsync(_service.Client, upload))
        {
            Assert.Equal("1", Tus.Header(head, "Upload-Defer-Length"));
            Assert.Null(Tus.Header(head, "Upload-Length"));
        }

        (await Tus.PatchAsync(_service.Client, upload, 0, "abc"u8.ToArray())).Dispose();
        using (var last = await Tus.PatchAsync(_service.Client, upload, 3, "def"u8.ToArray(), ("Upload-Length", "6")))
        {
            Assert.Equal(HttpStatusCode.NoContent, last.StatusCode);
        }

        using var final = await Tus.HeadAsync(_service.Client, upload);
        Assert.Equal("6", Tus.Header(final, "Upload-Length"));
        Assert.Null(Tus.Header(final, "Upload-Defer-Length"));
        Assert.Equal("abcdef"u8.ToArray(), await _service.Client.GetByteArrayAsync(upload));
    }

    [Fact]
    public async Task Deferred_length_cannot_be_changed_once_set()
    {
        var upload = await Tus.CreateAsync(_service.Client, _service.FilesUrl, null);
        (await Tus.PatchAsync(_service.Client, upload, 0, "ab"u8.ToArray(), ("Upload-Length", "10"))).Dispose();

        using var response = await Tus.PatchAsync(_service.Client, upload, 2, "cd"u8.ToArray(), ("Upload-Length", "11"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Creation_with_upload_stores_the_body_and_answers_its_offset()
    {
        var data = Tus.RandomBytes(5000);
        var request = Tus.Request(HttpMethod.Post, _service.FilesUrl, ("Upload-Length", "8000"));
        request.Content = Tus.OctetStreamContent(data);

        using var response = await _service.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(5000, Tus.Offset(response));
        Assert.Equal(5000, await Tus.OffsetAsync(_service.Client, response.Headers.Location!));
    }

    [Fact]
    public async Task Zero_length_upload_is_finished_at_creation()
    {
        var upload = await Tus.CreateAsync(_service.Client, _service.FilesUrl, 0);

        using var get = await _service.Client.GetAsync(upload);

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Empty(await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Method_override_turns_a_post_into_patch_and_delete()
    {
        var upload = await Tus.CreateAsync(_service.Client, _service.FilesUrl, 3);
        var patch = Tus.Request(HttpMethod.Post, upload, ("X-HTTP-Method-Override", "PATCH"), ("Upload-Offset", "0"));
        patch.Content = Tus.OctetStreamContent("xyz"u8.ToArray());
        using (var response = await _service.Client.SendAsync(patch))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Equal(3, Tus.Offset(response));
        }

        using (var delete = await _service.Client.SendAsync(Tus.Request(HttpMethod.Post, upload, ("X-HTTP-Method-Override", "DELETE"))))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        using var head = await Tus.HeadAsync(_service.Client, upload);
        Assert.Equal(HttpStatusCode.Gone, head.StatusCode);
    }

    [Fact]
    public async Task Every_response_but_options_carries_Tus_Resumable_even_errors()
    {
        using var notFound = await Tus.HeadAsync(_service.Client, new Uri(_service.FilesUrl, "0123456789abcdef0123456789abcdef"));
        using var wrongVersion = await _service.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, _service.FilesUrl));

        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("1.0.0", Tus.Header(notFound, "Tus-Resumable"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, wrongVersion.StatusCode);
        Assert.Equal("1.0.0", Tus.Header(wrongVersion, "Tus-Resumable"));
        Assert.Equal("1.0.0", Tus.Header(wrongVersion, "Tus-Version"));
    }
}
