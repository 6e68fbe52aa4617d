
namespace TusCluster.UploadService.Tests.Http;

public sealed class ForwardedHeadersTests
{
    [Fact]
    public async Task Forwarded_headers_from_an_untrusted_peer_are_ignored()
    {
        await using var service = await TusServiceInstance.StartAsync();

        var location = await CreateAsync(service, ("X-Forwarded-Host", "evil.example"), ("X-Forwarded-Proto", "https"), ("Forwarded", "host=evil.example;proto=https"));

        Assert.Equal(service.BaseAddress.Authority, location.Authority);
        Assert.Equal("http", location.Scheme);
    }

    [Fact]
    public async Task X_Forwarded_headers_from_a_trusted_proxy_shape_the_location()
    {
        await using var service = await TusServiceInstance.StartAsync(["--Tus:TrustedProxies:0=127.0.0.0/8"]);

        var location = await CreateAsync(service, ("X-Forwarded-Host", "uploads.example.com"), ("X-Forwarded-Proto", "https"), ("X-Forwarded-Prefix", "/api"));

        Assert.StartsWith("https://uploads.example.com/api/files/", location.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rfc_7239_Forwarded_from_a_trusted_proxy_wins_over_X_Forwarded()
    {
        await using var service = await TusServiceInstance.StartAsync(["--Tus:TrustedProxies:0=127.0.0.1"]);

        var location = await CreateAsync(service, ("Forwarded", "for=10.0.0.1;proto=https;host=a.example, for=10.0.0.2"), ("X-Forwarded-Host", "b.example"));

        Assert.StartsWith("https://a.example/files/", location.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_public_base_url_overrides_everything()
    {
        await using var service = await TusServiceInstance.StartAsync(["--Tus:PublicBaseUrl=https://files.example.org", "--Tus:TrustedProxies:0=127.0.0.1"]);

        var location = await CreateAsync(service, ("X-Forwarded-Host", "b.example"));

        Assert.StartsWith("https://files.example.org/files/", location.ToString(), StringComparison.Ordinal);
    }

    private static async Task<Uri> CreateAsync(TusServiceInstance service, params (string, string)[] headers)
    {
        using var response = await service.Client.SendAsync(Tus.Request(HttpMethod.Post, service.FilesUrl, [("Upload-Length", "1"), .. headers]));
        return response.Headers.Location!;
    }
}
