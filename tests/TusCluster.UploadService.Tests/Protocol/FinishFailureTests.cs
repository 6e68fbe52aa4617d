using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.UploadService.Tests.Protocol;

/// <summary>A last chunk that is committed, after which finishing the upload fails (issue 12, item 2).</summary>
public sealed class FinishFailureTests
{
    [Fact]
    public async Task A_committed_last_chunk_is_answered_as_committed_when_finishing_fails_and_the_next_get_finishes_it()
    {
        var store = new CompleteFailsOnce();
        await using var service = await TusServiceInstance.StartAsync(configureServices: services => store.WrapRegisteredStore(services));
        var bytes = Tus.RandomBytes(300_000);
        var upload = await Tus.CreateAsync(service.Client, service.FilesUrl, bytes.Length);

        using var patch = await Tus.PatchAsync(service.Client, upload, 0, bytes);

        Assert.True(patch.StatusCode == HttpStatusCode.NoContent, $"{(int)patch.StatusCode} {await patch.Content.ReadAsStringAsync()}");
        Assert.Equal(bytes.Length, Tus.Offset(patch));
        Assert.Equal(1, store.Failures);
        Assert.Equal(bytes.Length, await Tus.OffsetAsync(service.Client, upload));
        Assert.Equal(bytes, await service.Client.GetByteArrayAsync(upload));
    }

    [Fact]
    public async Task A_head_finishes_an_upload_whose_finishing_failed_after_its_last_chunk_was_committed()
    {
        // A resuming client sends a HEAD, sees every byte, and is done: it never sends the GET that would finish it.
        var store = new CompleteFailsOnce();
        await using var service = await TusServiceInstance.StartAsync(configureServices: services => store.WrapRegisteredStore(services));
        var bytes = Tus.RandomBytes(1000);
        var upload = await Tus.CreateAsync(service.Client, service.FilesUrl, bytes.Length);
        using var patch = await Tus.PatchAsync(service.Client, upload, 0, bytes);
        Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
        var coordination = service.Services.GetRequiredService<IUploadCoordination>();
        Assert.Equal(UploadStatus.Active, (await coordination.GetAsync(upload.Segments[^1], TestContext.Current.CancellationToken))?.Status);

        Assert.Equal(bytes.Length, await Tus.OffsetAsync(service.Client, upload));

        Assert.Equal(UploadStatus.Finished, (await coordination.GetAsync(upload.Segments[^1], TestContext.Current.CancellationToken))?.Status);
        Assert.Equal(2, store.Failures);
    }

    /// <summary>The configured store, except that its first CompleteAsync fails as a full disk would.</summary>
    private sealed class CompleteFailsOnce : DelegatingUploadStore
    {
        private int _failures;

        public int Failures => _failures;

        public override ValueTask<string?> CompleteAsync(UploadRecord upload, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _failures) == 1
                ? ValueTask.FromException<string?>(new StoreUnavailableException("No space left on device") { OutOfSpace = true })
                : Inner.CompleteAsync(upload, cancellationToken);
    }
}
