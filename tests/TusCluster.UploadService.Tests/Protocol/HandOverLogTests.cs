using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TusCluster.UploadService.Tests.Protocol;

public sealed class HandOverLogTests
{
    [Fact]
    [Trait("Store", "FileSystem")] // Waits for the file store's staging file to know the holder is mid-body.
    public async Task A_hand_over_leaves_the_request_body_reader_usable_and_logs_no_error()
    {
        var logs = new CapturedLogs();
        await using var service = await TusServiceInstance.StartAsync(configureServices: services => services.AddSingleton<ILoggerProvider>(logs));
        var data = Tus.RandomBytes(1_000_000);
        var upload = await Tus.CreateAsync(service.Client, service.FilesUrl, data.Length);
        await using var stalled = await RawHttpConnection.OpenAsync(upload);
        await stalled.SendHeadAsync("PATCH", upload, "Tus-Resumable: 1.0.0", "Upload-Offset: 0", "Content-Type: application/offset+octet-stream", "Content-Length: 1000000");
        await stalled.SendAsync(data.AsMemory(0, 300_000));
        await service.WaitForStagedChunkAsync(upload);

        using var newcomer = await Tus.PatchAsync(service.Client, upload, 0, data);
        var holder = await stalled.ReadResponseHeadAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(204, holder.Status);
        Assert.Equal(HttpStatusCode.Conflict, newcomer.StatusCode);

        // Kestrel drains the unread rest of the body after the answer; that is where a body read that
        // was cancelled through its token used to fail with "Reading is already in progress".
        await stalled.SendAsync(data.AsMemory(300_000));
        await Task.Delay(1000);
        var errors = logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Category}: {e.Text}").ToList();
        Assert.True(errors.Count == 0, string.Join("\n---\n", errors));
    }
}
