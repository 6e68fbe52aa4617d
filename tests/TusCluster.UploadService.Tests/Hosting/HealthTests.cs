using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TusCluster.Protocol.Engine;

namespace TusCluster.UploadService.Tests.Hosting;

public sealed class HealthTests
{
    [Fact]
    public async Task Alive_and_ready_until_draining_then_new_requests_are_turned_away()
    {
        await using var service = await TusServiceInstance.StartAsync();
        using (var alive = await service.Client.GetAsync("/healthz"))
        using (var ready = await service.Client.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        service.Services.GetRequiredService<DrainState>().BeginDrain();

        using var stillAlive = await service.Client.GetAsync("/healthz");
        using var notReady = await service.Client.GetAsync("/readyz");
        using var refused = await service.Client.SendAsync(Tus.Request(HttpMethod.Post, service.FilesUrl, ("Upload-Length", "1")));
        Assert.Equal(HttpStatusCode.OK, stillAlive.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
    }

    [Fact]
    public async Task Unreachable_coordination_means_not_ready_and_retryable_503s()
    {
        // A Redis endpoint where nothing listens; these arguments come last, so they win over TUS_TEST_BACKEND_ARGS.
        await using var service = await TusServiceInstance.StartAsync(
            ["--Tus:Coordination:Provider=Redis", $"--Tus:Coordination:Redis:Endpoint=127.0.0.1:{FreePort.Next()}"]);

        using var ready = await service.Client.GetAsync("/readyz");
        using var create = await service.Client.SendAsync(Tus.Request(HttpMethod.Post, service.FilesUrl, ("Upload-Length", "1")));
        using var head = await Tus.HeadAsync(service.Client, new Uri(service.FilesUrl, "0123456789abcdef0123456789abcdef"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, create.StatusCode);
        Assert.NotNull(create.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, head.StatusCode);
    }

    [Fact]
    [Trait("Store", "FileSystem")] // Looks at the file store's own files; the S3 store's tests cover its side.
    public async Task Not_ready_when_the_store_cannot_be_written()
    {
        var blocker = Path.GetTempFileName();
        try
        {
            await using var service = await TusServiceInstance.StartAsync([$"--Tus:Storage:FileSystem:Root={blocker}/uploads"]);

            using var ready = await service.Client.GetAsync("/readyz");
            using var create = await service.Client.SendAsync(Tus.Request(HttpMethod.Post, service.FilesUrl, ("Upload-Length", "1")));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, create.StatusCode);
            Assert.NotNull(create.Headers.RetryAfter);
        }
        finally
        {
            File.Delete(blocker);
        }
    }
}
