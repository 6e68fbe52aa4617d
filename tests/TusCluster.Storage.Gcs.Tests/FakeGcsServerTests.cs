using System.Net;
using System.Text;
using Google;
using Google.Cloud.Storage.V1;
using Object = Google.Apis.Storage.v1.Data.Object;

namespace TusCluster.Storage.Gcs.Tests;

/// <summary>
/// The fake enforces what real GCS enforces and the store relies on, seen through the real client library:
/// generation and metageneration preconditions, compose limits, 404s, ranges and page tokens.
/// </summary>
public sealed class FakeGcsServerTests : IDisposable
{
    private readonly StorageClient _client;
    private readonly string _prefix = $"fake-{Guid.NewGuid():N}/";
    private readonly GcsBucket _bucket;

    public FakeGcsServerTests(GcsTestServer server)
    {
        _client = GcsClientFactory.Create(server.Options(string.Empty));
        _bucket = new GcsBucket(_client, Microsoft.Extensions.Options.Options.Create(server.Options(string.Empty)), Microsoft.Extensions.Options.Options.Create(new Protocol.TusProtocolOptions()));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Creating_with_generation_zero_refuses_an_existing_object()
    {
        var first = await UploadAsync("a", "one");
        var error = await Assert.ThrowsAsync<GoogleApiException>(() => UploadAsync("a", "two", new UploadObjectOptions { IfGenerationMatch = 0 }));

        Assert.Equal(HttpStatusCode.PreconditionFailed, error.HttpStatusCode);
        Assert.Equal("one", await ReadAsync("a"));
        var replaced = await UploadAsync("a", "three", new UploadObjectOptions { IfGenerationMatch = first.Generation });
        Assert.True(replaced.Generation > first.Generation);
        Assert.Equal("three", await ReadAsync("a"));
    }

    [Fact]
    public async Task Delete_and_patch_hold_to_their_preconditions()
    {
        var stored = await UploadAsync("b", "bytes");
        var wrongGeneration = await Assert.ThrowsAsync<GoogleApiException>(() => _client.DeleteObjectAsync(GcsTestServer.Bucket, _prefix + "b", new DeleteObjectOptions { IfGenerationMatch = stored.Generation + 1 }, Ct));
        var wrongMetageneration = await Assert.ThrowsAsync<GoogleApiException>(() => _client.PatchObjectAsync(
            new Object { Bucket = GcsTestServer.Bucket, Name = _prefix + "b", ContentType = "text/plain" }, new PatchObjectOptions { IfMetagenerationMatch = stored.Metageneration + 1 }, Ct));

        Assert.Equal(HttpStatusCode.PreconditionFailed, wrongGeneration.HttpStatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, wrongMetageneration.HttpStatusCode);
        var patched = await _client.PatchObjectAsync(
            new Object { Bucket = GcsTestServer.Bucket, Name = _prefix + "b", ContentType = "text/plain" }, new PatchObjectOptions { IfMetagenerationMatch = stored.Metageneration }, Ct);
        Assert.Equal("text/plain", patched.ContentType);
        Assert.Equal(stored.Metageneration + 1, patched.Metageneration);
        await _client.DeleteObjectAsync(GcsTestServer.Bucket, _prefix + "b", new DeleteObjectOptions { IfGenerationMatch = stored.Generation }, Ct);
        var gone = await Assert.ThrowsAsync<GoogleApiException>(() => _client.GetObjectAsync(GcsTestServer.Bucket, _prefix + "b", null, Ct));
        Assert.Equal(HttpStatusCode.NotFound, gone.HttpStatusCode);
    }

    [Fact]
    public async Task Compose_takes_at_most_32_sources_and_1024_components()
    {
        var one = await UploadAsync("one", "x");
        var error33 = await Assert.ThrowsAsync<GoogleApiException>(() => ComposeAsync("too-many", Enumerable.Repeat(one, 33)));
        var of32 = await ComposeAsync("of32", Enumerable.Repeat(one, 32));
        var of1024 = await ComposeAsync("of1024", Enumerable.Repeat(of32, 32));
        var over = await Assert.ThrowsAsync<GoogleApiException>(() => ComposeAsync("over", [of1024, one]));

        Assert.Equal(HttpStatusCode.BadRequest, error33.HttpStatusCode);
        Assert.Equal(32, of32.ComponentCount);
        Assert.Equal(1024, of1024.ComponentCount);
        Assert.Equal(1024UL, of1024.Size);
        Assert.Equal(HttpStatusCode.BadRequest, over.HttpStatusCode);
    }

    [Fact]
    public async Task Compose_fails_on_a_missing_or_replaced_source_and_an_existing_destination()
    {
        var source = await UploadAsync("src", "abc");
        var existing = await UploadAsync("dst", "old");
        var stale = new Object { Name = source.Name, Generation = source.Generation - 1 };

        var replaced = await Assert.ThrowsAsync<GoogleApiException>(() => ComposeAsync("new", [stale]));
        var taken = await Assert.ThrowsAsync<GoogleApiException>(() => ComposeAsync("dst", [source]));
        await _client.DeleteObjectAsync(GcsTestServer.Bucket, _prefix + "src", cancellationToken: Ct);
        var missing = await Assert.ThrowsAsync<GoogleApiException>(() => ComposeAsync("new", [source]));

        Assert.True(replaced.HttpStatusCode is HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed);
        Assert.Equal(HttpStatusCode.PreconditionFailed, taken.HttpStatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.HttpStatusCode);
        Assert.Equal("old", await ReadAsync("dst"));
        Assert.NotNull(existing);
    }

    [Fact]
    public async Task Ranges_and_page_tokens_work_as_in_gcs()
    {
        await UploadAsync("r", "0123456789");
        for (var i = 0; i < 5; i++)
        {
            await UploadAsync($"list/{i}", "x");
        }

        using var window = new MemoryStream();
        await _client.DownloadObjectAsync(GcsTestServer.Bucket, _prefix + "r", window, new DownloadObjectOptions { Range = new System.Net.Http.Headers.RangeHeaderValue(3, 6) }, Ct);
        var pages = await _client.ListObjectsAsync(GcsTestServer.Bucket, _prefix + "list/", new ListObjectsOptions { PageSize = 2 }).AsRawResponses().ToListAsync(Ct);

        Assert.Equal("3456", Encoding.ASCII.GetString(window.ToArray()));
        Assert.Equal(3, pages.Count);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"{_prefix}list/{i}"), pages.SelectMany(p => p.Items).Select(o => o.Name));
    }

    public void Dispose() => _client.Dispose();

    private Task<Object> UploadAsync(string name, string content, UploadObjectOptions? options = null) =>
        _client.UploadObjectAsync(GcsTestServer.Bucket, _prefix + name, "application/octet-stream", new MemoryStream(Encoding.ASCII.GetBytes(content)), options, Ct);

    private async Task<string> ReadAsync(string name)
    {
        using var copy = new MemoryStream();
        await _client.DownloadObjectAsync(GcsTestServer.Bucket, _prefix + name, copy, cancellationToken: Ct);
        return Encoding.ASCII.GetString(copy.ToArray());
    }

    /// <summary>The store's own compose call: sources pinned to their generations, the destination only created (ifGenerationMatch=0).</summary>
    private Task<Object> ComposeAsync(string destination, IEnumerable<Object> sources) =>
        _bucket.ComposeAsync([.. sources.Select(s => new ComposeSource(s.Name, s.Generation ?? 0, (long)(s.Size ?? 0), s.ComponentCount ?? 1))], _prefix + destination, null, Ct);
}
