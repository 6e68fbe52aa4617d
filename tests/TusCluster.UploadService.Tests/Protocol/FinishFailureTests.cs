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
        await using var failed = await FailedFinish.StartAsync(300_000);

        Assert.Equal(failed.Bytes, await failed.Service.Client.GetByteArrayAsync(failed.Upload));

        Assert.Equal(UploadStatus.Finished, await failed.StatusAsync());
        Assert.Equal(2, failed.Store.Calls);
    }

    [Fact]
    public async Task A_head_finishes_an_upload_whose_finishing_failed_after_its_last_chunk_was_committed()
    {
        // A resuming client sends a HEAD, sees every byte, and is done: it never sends the GET that would finish it.
        await using var failed = await FailedFinish.StartAsync(1000);

        Assert.Equal(failed.Bytes.Length, await Tus.OffsetAsync(failed.Service.Client, failed.Upload));

        Assert.Equal(UploadStatus.Finished, await failed.StatusAsync());
        Assert.Equal(2, failed.Store.Calls);
    }

    /// <summary>
    /// An upload whose last chunk was committed and answered 204 with its offset, while finishing it failed: still
    /// active, the store's CompleteAsync called once.
    /// </summary>
    private sealed class FailedFinish : IAsyncDisposable
    {
        private FailedFinish(TusServiceInstance service, CompleteFailsOnce store, Uri upload, byte[] bytes) =>
            (Service, Store, Upload, Bytes) = (service, store, upload, bytes);

        public TusServiceInstance Service { get; }

        public CompleteFailsOnce Store { get; }

        public Uri Upload { get; }

        public byte[] Bytes { get; }

        public static async Task<FailedFinish> StartAsync(int size)
        {
            var store = new CompleteFailsOnce();
            var service = await TusServiceInstance.StartAsync(configureServices: services => store.WrapRegisteredStore(services));
            var bytes = Tus.RandomBytes(size);
            var upload = await Tus.CreateAsync(service.Client, service.FilesUrl, bytes.Length);
            using var patch = await Tus.PatchAsync(service.Client, upload, 0, bytes);
            var failed = new FailedFinish(service, store, upload, bytes);
            try
            {
                Assert.True(patch.StatusCode == HttpStatusCode.NoContent, $"{(int)patch.StatusCode} {await patch.Content.ReadAsStringAsync()}");
                Assert.Equal(bytes.Length, Tus.Offset(patch));
                Assert.Equal(1, store.Calls);
                Assert.Equal(UploadStatus.Active, await failed.StatusAsync());
                return failed;
            }
            catch
            {
                await failed.DisposeAsync();
                throw;
            }
        }

        public async Task<UploadStatus?> StatusAsync() =>
            (await Service.Services.GetRequiredService<IUploadCoordination>().GetAsync(Upload.Segments[^1], TestContext.Current.CancellationToken))?.Status;

        public ValueTask DisposeAsync() => Service.DisposeAsync();
    }

    /// <summary>The configured store, except that its first CompleteAsync fails as a full disk would.</summary>
    private sealed class CompleteFailsOnce : DelegatingUploadStore
    {
        private int _calls;

        /// <summary>CompleteAsync calls so far, the failed first one included.</summary>
        public int Calls => _calls;

        public override ValueTask<string?> CompleteAsync(UploadRecord upload, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) == 1
                ? ValueTask.FromException<string?>(new StoreUnavailableException("No space left on device") { OutOfSpace = true })
                : Inner.CompleteAsync(upload, cancellationToken);
    }
}
