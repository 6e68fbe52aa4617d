using System.Net;

namespace TusCluster.UploadService.Tests.Protocol;

/// <summary>
/// A Host in IDNA form (xn--...) is an ordinary ASCII host name. Location must repeat it in that form:
/// a header value cannot carry the Unicode form ASP.NET Core decodes it to.
/// </summary>
public sealed class InternationalHostTests : IAsyncLifetime
{
    private const string PunycodeHost = "xn--80ak6aa92e.com";
    private TusServiceInstance _service = null!;

    public async ValueTask InitializeAsync() => _service = await TusServiceInstance.StartAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    [Theory]
    [InlineData("xn--.com")]
    [InlineData("xn--zz-.com")]
    [InlineData("xn--80ak6aa92e-.com")]
    [InlineData("xn--a.xn--b")]
    public async Task A_host_that_only_looks_like_punycode_is_never_a_5xx(string host)
    {
        await using var connection = await RawHttpConnection.OpenAsync(_service.BaseAddress);
        await connection.SendHeadAsync("POST", "/files/", host, "Tus-Resumable: 1.0.0", "Upload-Length: 3", "Connection: close");

        var response = await connection.ReadResponseHeadAsync(TimeSpan.FromSeconds(10));

        Assert.True(response.Status is 201 or 400, $"{host}: {response.Status}");
        if (response.Status == 201)
        {
            Assert.True(response.Headers["Location"].All(char.IsAscii), response.Headers["Location"]);
        }
    }

    [Theory]
    [InlineData(PunycodeHost)]
    [InlineData(PunycodeHost + ":8443")]
    [InlineData("XN--80AK6AA92E.COM")]
    public async Task Creation_on_an_idn_host_answers_201_with_a_punycode_location(string host)
    {
        await using var connection = await RawHttpConnection.OpenAsync(_service.BaseAddress);
        await connection.SendHeadAsync("POST", "/files/", host, "Tus-Resumable: 1.0.0", "Upload-Length: 3",
            "Content-Type: application/offset+octet-stream", "Content-Length: 3", "Connection: close");
        await connection.SendAsync("abc"u8.ToArray());

        var response = await connection.ReadResponseHeadAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(201, response.Status);
        var location = new Uri(response.Headers["Location"]);
        Assert.StartsWith($"http://{host}/files/", response.Headers["Location"], StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3, response.Offset);
        var upload = new Uri(_service.FilesUrl, location.Segments[^1]);
        Assert.Equal("abc"u8.ToArray(), await _service.Client.GetByteArrayAsync(upload));
    }
}
