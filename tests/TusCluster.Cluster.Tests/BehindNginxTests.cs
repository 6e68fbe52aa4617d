using System.Net;

namespace TusCluster.Cluster.Tests;

/// <summary>One replica behind nginx: the proxy settings every cluster test relies on.</summary>
public sealed class BehindNginxTests : IAsyncLifetime
{
    private UploadCluster _cluster = null!;
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(60) };

    public async ValueTask InitializeAsync() => _cluster = await UploadCluster.StartAsync(1);

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Uploads_through_the_balancer_get_balancer_urls_and_read_back_exactly()
    {
        var data = Tus.RandomBytes(2_000_000);

        var upload = await Tus.UploadAsync(_client, _cluster.FilesUrl, data, 300_000);

        Assert.Equal(_cluster.Balancer.BaseAddress.Authority, upload.Authority);
        Assert.Equal(data, await _client.GetByteArrayAsync(upload));
    }

    [Fact]
    public async Task Hand_over_works_through_the_balancer_because_bodies_are_not_buffered()
    {
        var data = Tus.RandomBytes(1_000_000);
        var upload = await Tus.CreateAsync(_client, _cluster.FilesUrl, data.Length);
        await using var stalled = await RawHttpConnection.OpenAsync(upload);
        await stalled.SendHeadAsync("PATCH", upload, "Tus-Resumable: 1.0.0", "Upload-Offset: 0", "Content-Type: application/offset+octet-stream", "Content-Length: 1000000");
        await stalled.SendAsync(data.AsMemory(0, 400_000));
        await _cluster.WaitForStagedChunkAsync(upload.Segments[^1]);

        using var newcomer = await Tus.PatchAsync(_client, upload, 0, data);
        var holder = await stalled.ReadResponseHeadAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.Conflict, newcomer.StatusCode);
        Assert.Equal(204, holder.Status);
        Assert.Equal(holder.Offset, Tus.Offset(newcomer));
        using var rest = await Tus.PatchAsync(_client, upload, holder.Offset, data[(int)holder.Offset..]);
        Assert.Equal(HttpStatusCode.NoContent, rest.StatusCode);
        Assert.Equal(data, await _client.GetByteArrayAsync(upload));
    }
}
