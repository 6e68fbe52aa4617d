using System.Net;

namespace TusCluster.UploadService.Tests.Http;

public sealed class CorsTests
{
    [Fact]
    public async Task An_allowed_origin_passes_preflight_and_can_read_tus_headers()
    {
        await using var service = await TusServiceInstance.StartAsync(["--Tus:Cors:AllowedOrigins:0=https://app.example"]);
        using var preflight = new HttpRequestMessage(HttpMethod.Options, new Uri(service.FilesUrl, "0123456789abcdef0123456789abcdef"));
        preflight.Headers.Add("Origin", "https://app.example");
        preflight.Headers.Add("Access-Control-Request-Method", "PATCH");
        preflight.Headers.Add("Access-Control-Request-Headers", "tus-resumable,upload-offset,content-type,upload-checksum");

        using var answer = await service.Client.SendAsync(preflight);
        using var create = Tus.Request(HttpMethod.Post, service.FilesUrl, ("Upload-Length", "1"), ("Origin", "https://app.example"));
        using var created = await service.Client.SendAsync(create);

        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Equal("https://app.example", Tus.Header(answer, "Access-Control-Allow-Origin"));
        Assert.Contains("PATCH", Tus.Header(answer, "Access-Control-Allow-Methods")!, StringComparison.Ordinal);
        Assert.Contains("upload-offset", Tus.Header(answer, "Access-Control-Allow-Headers")!, StringComparison.OrdinalIgnoreCase);
        var exposed = Tus.Header(created, "Access-Control-Expose-Headers")!;
        Assert.Contains("Location", exposed, StringComparison.Ordinal);
        Assert.Contains("Upload-Offset", exposed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_origins_get_no_cors_headers()
    {
        await using var allowed = await TusServiceInstance.StartAsync(["--Tus:Cors:AllowedOrigins:0=https://app.example"]);
        await using var closed = await TusServiceInstance.StartAsync();

        foreach (var service in new[] { allowed, closed })
        {
            using var request = Tus.Request(HttpMethod.Post, service.FilesUrl, ("Upload-Length", "1"), ("Origin", "https://evil.example"));
            using var response = await service.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Null(Tus.Header(response, "Access-Control-Allow-Origin"));
        }
    }
}
