using System.Net;
using System.Security.Cryptography;

namespace TusCluster.UploadService.Tests.Drafts;

/// <summary>
/// RFC 9530 digests (draft -04 on): Repr-Digest on a creation carrying the whole representation, Content-Digest
/// on any request; a mismatch commits nothing.
/// </summary>
public sealed class DraftDigestTests : IAsyncLifetime
{
    private TusServiceInstance _service = null!;

    public static TheoryData<int> DigestVersions => new(6, 7, 8);

    public async ValueTask InitializeAsync() => _service = await TusServiceInstance.StartAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    [Theory]
    [MemberData(nameof(DigestVersions))]
    public async Task A_creation_whose_repr_digest_matches_is_completed(int version)
    {
        var data = Tus.RandomBytes(50_000);
        using var created = await DraftHttp.CreateAsync(_service.Client, _service.FilesUrl, version, complete: true, data, ("Repr-Digest", Sha256(data)));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(data, await _service.Client.GetByteArrayAsync(created.Headers.Location!));
    }

    [Theory]
    [MemberData(nameof(DigestVersions))]
    public async Task A_creation_whose_repr_digest_does_not_match_creates_nothing(int version)
    {
        var data = Tus.RandomBytes(50_000);
        using var refused = await DraftHttp.CreateAsync(_service.Client, _service.FilesUrl, version, complete: true, data, ("Repr-Digest", Sha256(data[1..])));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("checksum mismatch", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(refused.Headers.Location);
    }

    [Theory]
    [MemberData(nameof(DigestVersions))]
    public async Task An_append_whose_content_digest_does_not_match_appends_nothing(int version)
    {
        var upload = await DraftHttp.CreateEmptyAsync(_service.Client, _service.FilesUrl, version);
        var chunk = Tus.RandomBytes(20_000);

        using var refused = await DraftHttp.AppendAsync(_service.Client, upload, version, 0, complete: false, chunk, ("Content-Digest", Sha256(chunk[..^1])));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        using var head = await DraftHttp.HeadAsync(_service.Client, upload, version);
        Assert.Equal(0, Tus.Offset(head));

        using var accepted = await DraftHttp.AppendAsync(_service.Client, upload, version, 0, complete: true, chunk, ("Content-Digest", Sha256(chunk)));
        Assert.True(accepted.IsSuccessStatusCode);
        Assert.Equal(chunk, await _service.Client.GetByteArrayAsync(upload));
    }

    [Theory]
    [MemberData(nameof(DigestVersions))]
    public async Task A_repr_digest_on_a_request_without_the_whole_representation_is_refused(int version)
    {
        var data = Tus.RandomBytes(1000);
        using var refused = await DraftHttp.CreateAsync(_service.Client, _service.FilesUrl, version, complete: false, data, ("Repr-Digest", Sha256(data)));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Content-Digest", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(DigestVersions))]
    public async Task A_digest_in_no_algorithm_checked_here_is_refused_rather_than_ignored(int version)
    {
        using var refused = await DraftHttp.CreateAsync(_service.Client, _service.FilesUrl, version, complete: true, [1, 2, 3], ("Repr-Digest", "sha-512=:" + Convert.ToBase64String(SHA512.HashData([1, 2, 3])) + ":"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("sha-256", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string Sha256(byte[] data) => "sha-256=:" + Convert.ToBase64String(SHA256.HashData(data)) + ":";
}
