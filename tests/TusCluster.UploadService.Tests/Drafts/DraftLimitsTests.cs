using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace TusCluster.UploadService.Tests.Drafts;

/// <summary>Upload-Limit (draft -04 on) states the configured maximum size and the upload's remaining lifetime.</summary>
public sealed partial class DraftLimitsTests : IAsyncLifetime
{
    private const long MaxSize = 123_456_789;
    private TusServiceInstance _service = null!;

    public async ValueTask InitializeAsync() =>
        _service = await TusServiceInstance.StartAsync([$"--Tus:MaxUploadSize={MaxSize}", "--Tus:Expiration=01:00:00"]);

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    [Theory]
    [MemberData(nameof(DraftHttp.InteropVersions), MemberType = typeof(DraftHttp))]
    public async Task The_limits_match_the_configuration(int version)
    {
        using var options = await _service.Client.SendAsync(DraftHttp.Request(HttpMethod.Options, _service.FilesUrl, version));
        using var created = await DraftHttp.CreateAsync(_service.Client, _service.FilesUrl, version, complete: false, Tus.RandomBytes(10));
        using var head = await DraftHttp.HeadAsync(_service.Client, created.Headers.Location!, version);

        if (version < 6)
        {
            // Upload-Limit came with draft -04 (interop version 6).
            Assert.Null(Tus.Header(head, "Upload-Limit"));
            return;
        }

        var lifetimeKey = version == 6 ? "expires" : "max-age";
        foreach (var response in (HttpResponseMessage[])[options, created, head])
        {
            var limits = Parse(Tus.Header(response, "Upload-Limit") ?? throw new Xunit.Sdk.XunitException($"no Upload-Limit on {response.RequestMessage?.Method}"));
            Assert.Equal(MaxSize, limits["max-size"]);
            Assert.InRange(limits[lifetimeKey], 3000, 3600);
        }
    }

    [Theory]
    [MemberData(nameof(DraftHttp.InteropVersions), MemberType = typeof(DraftHttp))]
    public async Task A_creation_longer_than_the_maximum_size_is_refused(int version)
    {
        using var refused = await DraftHttp.CreateAsync(_service.Client, _service.FilesUrl, version, complete: false, null, ("Upload-Length", (MaxSize + 1).ToString(CultureInfo.InvariantCulture)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
    }

    private static Dictionary<string, long> Parse(string header) =>
        LimitMember().Matches(header).ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"([a-z-]+)=(\d+)")]
    private static partial Regex LimitMember();
}
