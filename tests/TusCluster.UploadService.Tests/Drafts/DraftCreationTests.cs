using System.Net;

namespace TusCluster.UploadService.Tests.Drafts;

/// <summary>Upload creation, append and cancellation for every interop version, with the bytes read back.</summary>
public sealed class DraftCreationTests : IAsyncLifetime
{
    private TusServiceInstance _service = null!;

    public async ValueTask InitializeAsync() => _service = await TusServiceInstance.StartAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    [Theory]
    [MemberData(nameof(DraftHttp.InteropVersions), MemberType = typeof(DraftHttp))]
    public async Task A_creation_with_the_whole_body_completes_the_upload(int version)
    {
        var data = Tus.RandomBytes(100_000);
        using var created = await DraftHttp.CreateAsync(_service.Client, _service.FilesUrl, version, complete: true, data);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(data.Length, Tus.Offset(created));
        Assert.True(DraftHttp.Complete(created, version));
        Assert.Null(Tus.Header(created, "Tus-Resumable"));
        var upload = created.Headers.Location!;
        Assert.Equal(data, await _service.Client.GetByteArrayAsync(upload));

        using var head = await DraftHttp.HeadAsync(_service.Client, upload, version);
        Assert.Equal(HttpStatusCode.NoContent, head.StatusCode);
        Assert.Equal(data.Length, Tus.Offset(head));
        Assert.True(DraftHttp.Complete(head, version));
        Assert.Equal("no-store", head.Headers.CacheControl?.ToString());
    }

    [Theory]
    [MemberData(nameof(DraftHttp.InteropVersions), MemberType = typeof(DraftHttp))]
    public async Task A_creation_without_body_is_filled_by_appends_and_completed_by_the_last(int version)
    {
        var data = Tus.RandomBytes(300_000);
        using var created = await DraftHttp.CreateAsync(_service.Client, _service.FilesUrl, version, complete: false, body: null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(0, Tus.Offset(created));
        Assert.False(DraftHttp.Complete(created, version));
        var upload = created.Headers.Location!;

        using var first = await DraftHttp.AppendAsync(_service.Client, upload, version, 0, complete: false, data[..120_000]);
        Assert.Equal(version <= 5 ? HttpStatusCode.Created : HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(120_000, Tus.Offset(first));
        Assert.False(DraftHttp.Complete(first, version));

        using var head = await DraftHttp.HeadAsync(_service.Client, upload, version);
        Assert.Equal(120_000, Tus.Offset(head));
        Assert.False(DraftHttp.Complete(head, version));

        using var last = await DraftHttp.AppendAsync(_service.Client, upload, version, 120_000, complete: true, data[120_000..]);
        Assert.True(last.IsSuccessStatusCode, $"{last.StatusCode}: {await last.Content.ReadAsStringAsync()}");
        Assert.Equal(data.Length, Tus.Offset(last));
        Assert.True(DraftHttp.Complete(last, version));
        Assert.Equal(data, await _service.Client.GetByteArrayAsync(upload));
    }

    [Theory]
    [MemberData(nameof(DraftHttp.InteropVersions), MemberType = typeof(DraftHttp))]
    public async Task A_first_part_in_the_creation_is_kept_and_a_chunked_last_append_fixes_the_length(int version)
    {
        var data = Tus.RandomBytes(200_000);
        using var created = await DraftHttp.CreateAsync(_service.Client, _service.FilesUrl, version, complete: false, data[..50_000]);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(50_000, Tus.Offset(created));
        Assert.False(DraftHttp.Complete(created, version));
        var upload = created.Headers.Location!;

        // No Content-Length: the length becomes known only when the body ends.
        using var chunked = new StreamContent(new MemoryStream(data[50_000..]));
        using var last = await DraftHttp.AppendAsync(_service.Client, upload, version, 50_000, complete: true, new ChunkedContent(chunked));
        Assert.True(last.IsSuccessStatusCode, $"{last.StatusCode}: {await last.Content.ReadAsStringAsync()}");
        Assert.True(DraftHttp.Complete(last, version));
        Assert.Equal(data.Length, Tus.Offset(last));
        Assert.Equal(data, await _service.Client.GetByteArrayAsync(upload));
    }

    [Theory]
    [MemberData(nameof(DraftHttp.InteropVersions), MemberType = typeof(DraftHttp))]
    public async Task A_cancelled_upload_is_gone(int version)
    {
        var upload = await DraftHttp.CreateEmptyAsync(_service.Client, _service.FilesUrl, version);

        using var deleted = await _service.Client.SendAsync(DraftHttp.Request(HttpMethod.Delete, upload, version));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        using var head = await DraftHttp.HeadAsync(_service.Client, upload, version);
        Assert.Equal(HttpStatusCode.Gone, head.StatusCode);
    }
}
