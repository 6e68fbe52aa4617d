using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TusCluster.Protocol.Coordination;

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

    [Fact]
    public async Task A_final_upload_may_list_at_most_MaxConcatParts_partials()
    {
        // One small partial listed many times once wrote 700 copies of it per request (issue 12, item 3).
        var partial = await Tus.UploadAsync(_service.Client, _service.FilesUrl, [7], 1, null, ("Upload-Concat", "partial"));

        using var tooMany = await PostFinalAsync(_service, "final;" + string.Join(' ', Enumerable.Repeat(partial.AbsolutePath, 101)));
        var atLimit = await CreateFinalAsync(Enumerable.Repeat(partial, 100));

        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("100", await tooMany.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(Enumerable.Repeat((byte)7, 100).ToArray(), await _service.Client.GetByteArrayAsync(atLimit));
    }

    [Fact]
    public async Task A_final_upload_counts_each_listing_of_a_partial_against_MaxUploadSize_before_copying()
    {
        await using var small = await TusServiceInstance.StartAsync(["--Tus:MaxUploadSize=1000"]);
        var partial = await Tus.UploadAsync(small.Client, small.FilesUrl, Tus.RandomBytes(300), 300, null, ("Upload-Concat", "partial"));
        var before = await UploadDirectoriesAsync(small);

        using var response = await PostFinalAsync(small, "final;" + string.Join(' ', Enumerable.Repeat(partial.AbsolutePath, 4)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("1000", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await UploadDirectoriesAsync(small));
    }

    [Theory]
    [InlineData("comma-separated", "final;{0},{1}")]
    [InlineData("comma and space", "final;{0}, {1}")]
    [InlineData("another host", "final;http://uploads.example.org{0} {1}")]
    [InlineData("outside the upload path", "final;/api{0} {1}")]
    [InlineData("below an upload", "final;{0}/{1}")]
    [InlineData("with a query", "final;{0}?x=1 {1}")]
    public async Task A_final_upload_list_that_is_not_space_separated_urls_of_this_server_is_400(string name, string format)
    {
        var first = await Tus.UploadAsync(_service.Client, _service.FilesUrl, [1], 1, null, ("Upload-Concat", "partial"));
        var second = await Tus.UploadAsync(_service.Client, _service.FilesUrl, [2], 1, null, ("Upload-Concat", "partial"));
        var value = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, first.AbsolutePath, second.AbsolutePath);

        using var response = await PostFinalAsync(_service, value);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {value} got {(int)response.StatusCode}");
        Assert.NotEmpty(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_final_upload_accepts_absolute_urls_on_the_host_it_was_asked_on()
    {
        var first = await Tus.UploadAsync(_service.Client, _service.FilesUrl, [1], 1, null, ("Upload-Concat", "partial"));
        var second = await Tus.UploadAsync(_service.Client, _service.FilesUrl, [2], 1, null, ("Upload-Concat", "partial"));

        var final = await CreateFinalAsync([first, new Uri(second.AbsolutePath, UriKind.Relative)]);

        Assert.Equal(new byte[] { 1, 2 }, await _service.Client.GetByteArrayAsync(final));
    }

    [Fact]
    public async Task A_final_upload_pushed_over_MaxUploadSize_by_a_deferred_length_partial_ends_as_gone()
    {
        await using var small = await TusServiceInstance.StartAsync(["--Tus:MaxUploadSize=1000"]);
        var known = await Tus.UploadAsync(small.Client, small.FilesUrl, Tus.RandomBytes(600), 600, null, ("Upload-Concat", "partial"));
        var deferred = await Tus.CreateAsync(small.Client, small.FilesUrl, null, null, ("Upload-Concat", "partial"));
        using var created = await PostFinalAsync(small, $"final;{known.AbsolutePath} {deferred.AbsolutePath}");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var final = created.Headers.Location!;

        // The partial alone fits, so its length is accepted; only together do they pass the maximum.
        using (var patch = await Tus.PatchAsync(small.Client, deferred, 0, Tus.RandomBytes(500), ("Upload-Length", "500")))
        {
            Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
        }

        // Not 413 for as long as the final upload exists: it can never complete, so it is gone, and stays so.
        using var get = await small.Client.GetAsync(final);
        using var head = await Tus.HeadAsync(small.Client, final);
        using var again = await small.Client.GetAsync(final);
        Assert.Equal(HttpStatusCode.Gone, get.StatusCode);
        Assert.Contains("1000", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, head.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
    }

    private static async Task<HttpResponseMessage> PostFinalAsync(TusServiceInstance service, string concat) =>
        await service.Client.SendAsync(Tus.Request(HttpMethod.Post, service.FilesUrl, ("Upload-Concat", concat)));

    /// <summary>Every upload in the expiry index (each unfinished record is), and every upload the file store holds a directory for.</summary>
    private static async Task<string[]> UploadDirectoriesAsync(TusServiceInstance service)
    {
        var coordination = service.Services.GetRequiredService<IUploadCoordination>();
        var indexed = await coordination.ReadExpiredAsync(DateTimeOffset.UtcNow.AddYears(10), 1000, CancellationToken.None);
        var directories = Path.Combine(service.DataDirectory, "uploads");
        string[] stored = Directory.Exists(directories) ? [.. Directory.GetDirectories(directories).Select(Path.GetFileName).OfType<string>()] : [];
        return [.. indexed.Select(e => e.UploadId).Concat(stored).Order(StringComparer.Ordinal)];
    }

    private async Task<Uri> CreateFinalAsync(IEnumerable<Uri> partials)
    {
        using var response = await _service.Client.SendAsync(Tus.Request(HttpMethod.Post, _service.FilesUrl, ("Upload-Concat", "final;" + string.Join(' ', partials))));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return response.Headers.Location!;
    }
}
