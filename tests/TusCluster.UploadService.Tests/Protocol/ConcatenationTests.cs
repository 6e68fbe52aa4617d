using System.Net;

namespace TusCluster.UploadService.Tests.Protocol;

public sealed class ConcatenationTests : IAsyncLifetime
{
    private TusServiceInstance _service = null!;

    public async ValueTask InitializeAsync() => _service = await TusServiceInstance.StartAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    [Fact]
    public async Task Final_upload_is_the_concatenation_of_finished_partials()
    {
        var parts = new[] { Tus.RandomBytes(300_000), Tus.RandomBytes(1), Tus.RandomBytes(70_000) };
        var urls = new List<Uri>();
        foreach (var part in parts)
        {
            urls.Add(await Tus.UploadAsync(_service.Client, _service.FilesUrl, part, 100_000, null, ("Upload-Concat", "partial")));
        }

        var final = await CreateFinalAsync(urls);

        using var head = await Tus.HeadAsync(_service.Client, final);
        Assert.Equal(370_001, Tus.Offset(head));
        Assert.Equal("370001", Tus.Header(head, "Upload-Length"));
        Assert.StartsWith("final;/files/", Tus.Header(head, "Upload-Concat"), StringComparison.Ordinal);
        Assert.Equal(parts.SelectMany(p => p).ToArray(), await _service.Client.GetByteArrayAsync(final));
    }

    [Fact]
    public async Task Final_upload_of_unfinished_partials_completes_when_they_do()
    {
        var first = await Tus.CreateAsync(_service.Client, _service.FilesUrl, 4, null, ("Upload-Concat", "partial"));
        var second = await Tus.CreateAsync(_service.Client, _service.FilesUrl, 3, null, ("Upload-Concat", "partial"));
        var final = await CreateFinalAsync([first, second]);

        using (var waiting = await Tus.HeadAsync(_service.Client, final))
        {
            Assert.Equal(HttpStatusCode.OK, waiting.StatusCode);
            Assert.Null(Tus.Header(waiting, "Upload-Offset"));
            Assert.Equal("7", Tus.Header(waiting, "Upload-Length"));
        }

        using (var notYet = await _service.Client.GetAsync(final))
        {
            Assert.Equal(HttpStatusCode.Conflict, notYet.StatusCode);
        }

        (await Tus.PatchAsync(_service.Client, first, 0, "abcd"u8.ToArray())).Dispose();
        (await Tus.PatchAsync(_service.Client, second, 0, "efg"u8.ToArray())).Dispose();

        Assert.Equal(7, await Tus.OffsetAsync(_service.Client, final));
        Assert.Equal("abcdefg"u8.ToArray(), await _service.Client.GetByteArrayAsync(final));
    }

    [Fact]
    public async Task A_final_upload_cannot_be_patched()
    {
        var partial = await Tus.UploadAsync(_service.Client, _service.FilesUrl, [1, 2], 2, null, ("Upload-Concat", "partial"));
        var final = await CreateFinalAsync([partial]);

        using var response = await Tus.PatchAsync(_service.Client, final, 2, [3]);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_final_upload_may_only_name_existing_partial_uploads()
    {
        var regular = await Tus.UploadAsync(_service.Client, _service.FilesUrl, [1], 1);
        var missing = new Uri(_service.FilesUrl, "0123456789abcdef0123456789abcdef");

        foreach (var value in new[] { $"final;{regular.AbsolutePath}", $"final;{missing.AbsolutePath}", "final;", "final;/elsewhere/0123456789abcdef0123456789abcdef", "whole" })
        {
            using var response = await _service.Client.SendAsync(Tus.Request(HttpMethod.Post, _service.FilesUrl, ("Upload-Concat", value)));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{value}: {response.StatusCode}");
        }
    }

    [Fact]
    public async Task A_final_upload_whose_partial_was_terminated_still_answers_head_without_an_offset()
    {
        var partial = await Tus.CreateAsync(_service.Client, _service.FilesUrl, 4, null, ("Upload-Concat", "partial"));
        var final = await CreateFinalAsync([partial]);
        (await _service.Client.SendAsync(Tus.Request(HttpMethod.Delete, partial))).Dispose();

        using var head = await Tus.HeadAsync(_service.Client, final);
        using var get = await _service.Client.GetAsync(final);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Null(Tus.Header(head, "Upload-Offset"));
        Assert.Equal(HttpStatusCode.Conflict, get.StatusCode);
    }

    private async Task<Uri> CreateFinalAsync(IEnumerable<Uri> partials)
    {
        using var response = await _service.Client.SendAsync(Tus.Request(HttpMethod.Post, _service.FilesUrl, ("Upload-Concat", "final;" + string.Join(' ', partials))));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return response.Headers.Location!;
    }
}
