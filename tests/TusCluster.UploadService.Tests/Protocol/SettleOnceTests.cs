using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using TusCluster.Protocol.Uploads;

namespace TusCluster.UploadService.Tests.Protocol;

/// <summary>
/// The chunk that finishes an upload is settled once, by the finisher, not also by the writer right after
/// its commit (issue 12, item 13). Settling is idempotent, but a second settle is a second store round
/// trip on every finishing request (on the file store a stat, on S3 a delete of the consumed tail).
/// </summary>
public sealed class SettleOnceTests
{
    [Fact]
    public async Task A_patch_that_finishes_the_upload_settles_its_chunk_once()
    {
        var store = new SettleCountingStore();
        await using var service = await TusServiceInstance.StartAsync(configureServices: store.WrapRegisteredStore);
        var bytes = Tus.RandomBytes(200_000);
        var upload = await Tus.CreateAsync(service.Client, service.FilesUrl, bytes.Length);

        using var patch = await Tus.PatchAsync(service.Client, upload, 0, bytes);

        Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
        Assert.Equal(1, store.SettlesAt(bytes.Length));
        Assert.Equal(bytes, await service.Client.GetByteArrayAsync(upload));
        Assert.Equal(1, store.SettlesAt(bytes.Length));
    }

    [Fact]
    public async Task The_last_of_several_patches_settles_its_chunk_once()
    {
        var store = new SettleCountingStore();
        await using var service = await TusServiceInstance.StartAsync(configureServices: store.WrapRegisteredStore);
        var bytes = Tus.RandomBytes(300_000);
        var upload = await Tus.CreateAsync(service.Client, service.FilesUrl, bytes.Length);

        using (var first = await Tus.PatchAsync(service.Client, upload, 0, bytes[..100_000]))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        }

        using var last = await Tus.PatchAsync(service.Client, upload, 100_000, bytes[100_000..]);

        Assert.Equal(HttpStatusCode.NoContent, last.StatusCode);
        Assert.Equal(1, store.SettlesAt(bytes.Length));
        Assert.Equal(bytes, await service.Client.GetByteArrayAsync(upload));
    }

    [Fact]
    public async Task A_creation_that_carries_the_whole_upload_settles_its_chunk_once()
    {
        var store = new SettleCountingStore();
        await using var service = await TusServiceInstance.StartAsync(configureServices: store.WrapRegisteredStore);
        var bytes = Tus.RandomBytes(150_000);
        var request = Tus.Request(HttpMethod.Post, service.FilesUrl, ("Upload-Length", bytes.Length.ToString(CultureInfo.InvariantCulture)));
        request.Content = Tus.OctetStreamContent(bytes);

        using var response = await service.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, store.SettlesAt(bytes.Length));
        Assert.Equal(bytes, await service.Client.GetByteArrayAsync(response.Headers.Location!));
    }

    /// <summary>The configured store, counting SettleAsync calls by the committed offset they settle.</summary>
    private sealed class SettleCountingStore : DelegatingUploadStore
    {
        private readonly ConcurrentDictionary<long, int> _settles = new();

        public int SettlesAt(long offset) => _settles.GetValueOrDefault(offset);

        public override ValueTask SettleAsync(UploadRecord committed, CancellationToken cancellationToken)
        {
            _settles.AddOrUpdate(committed.Offset, 1, (_, count) => count + 1);
            return Inner.SettleAsync(committed, cancellationToken);
        }
    }
}
