using System.Net;

namespace TusCluster.UploadService.Tests.Hosting;

public sealed class ShutdownAndRestartTests
{
    [Fact]
    public async Task Sigterm_lets_an_in_flight_patch_commit_and_a_restart_resumes_it()
    {
        using var data = new TemporaryDirectory();
        var bytes = Tus.RandomBytes(1_000_000);
        Uri upload;
        await using (var first = ServiceProcess.Start(data.Path, "--Tus:Server:DrainPeriod=00:00:01", "--Tus:Server:CommitGracePeriod=00:00:05"))
        {
            await first.WaitUntilReadyAsync();
            using var client = new HttpClient();
            upload = await Tus.CreateAsync(client, first.FilesUrl, bytes.Length);
            await using var patch = await RawHttpConnection.OpenAsync(upload);
            await patch.SendHeadAsync("PATCH", upload, "Tus-Resumable: 1.0.0", "Upload-Offset: 0", "Content-Type: application/offset+octet-stream", "Content-Length: 1000000");
            await patch.SendAsync(bytes.AsMemory(0, 400_000));
            await Task.Delay(500);

            first.Terminate();
            var answer = await patch.ReadResponseHeadAsync(TimeSpan.FromSeconds(15));

            Assert.Equal(204, answer.Status);
            Assert.Equal(400_000, answer.Offset);
            Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        }

        await using var second = ServiceProcess.Start(data.Path);
        await second.WaitUntilReadyAsync();
        using var again = new HttpClient();
        var resumed = new Uri(second.FilesUrl, upload.Segments[^1]);

        Assert.Equal(400_000, await Tus.OffsetAsync(again, resumed));
        using var rest = await Tus.PatchAsync(again, resumed, 400_000, bytes[400_000..]);
        Assert.Equal(HttpStatusCode.NoContent, rest.StatusCode);
        Assert.Equal(bytes, await again.GetByteArrayAsync(resumed));
    }

    [Fact]
    public async Task While_a_patch_drains_after_sigterm_new_requests_get_503_with_retry_after()
    {
        using var data = new TemporaryDirectory();
        var bytes = Tus.RandomBytes(1_000_000);
        await using var service = ServiceProcess.Start(data.Path, "--Tus:Server:DrainPeriod=00:00:03", "--Tus:Server:CommitGracePeriod=00:00:05");
        await service.WaitUntilReadyAsync();
        using var client = new HttpClient();
        var upload = await Tus.CreateAsync(client, service.FilesUrl, bytes.Length);
        var other = await Tus.CreateAsync(client, service.FilesUrl, 10);
        await using var patch = await RawHttpConnection.OpenAsync(upload);
        await patch.SendHeadAsync("PATCH", upload, "Tus-Resumable: 1.0.0", "Upload-Offset: 0", "Content-Type: application/offset+octet-stream", "Content-Length: 1000000");
        await patch.SendAsync(bytes.AsMemory(0, 300_000));

        // The PATCH must be in flight before SIGTERM, or there is nothing to drain. The file store
        // creates its staging file once 256 KiB have arrived.
        var staging = Path.Combine(data.Path, "uploads", upload.Segments[^1]);
        bool Staging() => Directory.Exists(staging) && Directory.EnumerateFiles(staging, "*.chunk").Any();
        for (var i = 0; i < 800 && !Staging(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(Staging(), $"the PATCH never started staging:\n{service.Output}");
        service.Terminate();
        await Task.Delay(500);

        // A new connection, as a balancer that has not yet seen readiness fail would open.
        using var fresh = new HttpClient();
        HttpResponseMessage refused;
        try
        {
            refused = await Tus.HeadAsync(fresh, other);
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"the listener closed while a PATCH was in flight (staging: {Staging()}):\n{service.Output}", e);
        }
        using (refused)
        using (var notReady = await fresh.GetAsync(new Uri(service.BaseAddress, "/readyz")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("1", Tus.Header(refused, "Retry-After"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        }

        var answer = await patch.ReadResponseHeadAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(204, answer.Status);
        Assert.Equal(300_000, answer.Offset);
        Assert.Equal(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task An_idle_service_exits_promptly_with_0_on_sigterm()
    {
        using var data = new TemporaryDirectory();
        await using var service = ServiceProcess.Start(data.Path);
        await service.WaitUntilReadyAsync();

        service.Terminate();

        Assert.Equal(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }
}
