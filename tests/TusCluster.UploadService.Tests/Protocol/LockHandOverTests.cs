using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TusCluster.Protocol.Coordination;

namespace TusCluster.UploadService.Tests.Protocol;

public sealed class LockHandOverTests : IAsyncLifetime
{
    private TusServiceInstance _service = null!;

    public async ValueTask InitializeAsync() => _service = await TusServiceInstance.StartAsync(["--Tus:LockAcquireTimeout=00:00:01"]);

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    [Fact]
    [Trait("Store", "FileSystem")] // Looks at the file store's own files; the S3 store's tests cover its side.
    public async Task A_new_patch_makes_a_stalled_holder_commit_and_step_aside()
    {
        var data = Tus.RandomBytes(1_000_000);
        var upload = await Tus.CreateAsync(_service.Client, _service.FilesUrl, data.Length);
        await using var stalled = await RawHttpConnection.OpenAsync(upload);
        await stalled.SendHeadAsync("PATCH", upload, "Tus-Resumable: 1.0.0", "Upload-Offset: 0", "Content-Type: application/offset+octet-stream", "Content-Length: 1000000");
        await stalled.SendAsync(data.AsMemory(0, 300_000));
        await _service.WaitForStagedChunkAsync(upload);

        // Without a hand-over this PATCH would wait out the 1 s acquire timeout and get 423.
        using var newcomer = await Tus.PatchAsync(_service.Client, upload, 0, data);
        var holder = await stalled.ReadResponseHeadAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.Conflict, newcomer.StatusCode);
        Assert.Equal(204, holder.Status);
        Assert.Equal(holder.Offset, Tus.Offset(newcomer));
        Assert.Equal(300_000, holder.Offset);

        using var rest = await Tus.PatchAsync(_service.Client, upload, holder.Offset, data[(int)holder.Offset..]);
        Assert.Equal(HttpStatusCode.NoContent, rest.StatusCode);
        Assert.Equal(data, await _service.Client.GetByteArrayAsync(upload));
    }

    [Fact]
    public async Task A_lock_that_is_not_handed_over_in_time_answers_423()
    {
        var upload = await Tus.CreateAsync(_service.Client, _service.FilesUrl, 10);
        var coordination = _service.Services.GetRequiredService<IUploadCoordination>();

        // A holder that ignores hand-over requests, as a wedged replica would.
        await using (await coordination.AcquireAsync(upload.Segments[^1], TimeSpan.FromSeconds(1), CancellationToken.None))
        {
            using var patch = await Tus.PatchAsync(_service.Client, upload, 0, new byte[10]);
            using var delete = await _service.Client.SendAsync(Tus.Request(HttpMethod.Delete, upload));
            Assert.Equal(HttpStatusCode.Locked, patch.StatusCode);
            Assert.Equal(HttpStatusCode.Locked, delete.StatusCode);
        }

        using var later = await Tus.PatchAsync(_service.Client, upload, 0, new byte[10]);
        Assert.Equal(HttpStatusCode.NoContent, later.StatusCode);
    }
}
