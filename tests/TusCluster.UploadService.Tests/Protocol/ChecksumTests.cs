using System.Net;
using System.Security.Cryptography;

namespace TusCluster.UploadService.Tests.Protocol;

public sealed class ChecksumTests : IAsyncLifetime
{
    private TusServiceInstance _service = null!;

    public async ValueTask InitializeAsync() => _service = await TusServiceInstance.StartAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    public static TheoryData<string> Algorithms => ["sha1", "md5", "sha256"];

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task A_matching_checksum_commits_the_chunk(string algorithm)
    {
        var data = Tus.RandomBytes(100_000);
        var upload = await Tus.CreateAsync(_service.Client, _service.FilesUrl, data.Length);

        using var response = await Tus.PatchAsync(_service.Client, upload, 0, data, ("Upload-Checksum", $"{algorithm} {Digest(algorithm, data)}"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(data, await _service.Client.GetByteArrayAsync(upload));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task A_mismatching_checksum_is_460_and_commits_nothing(string algorithm)
    {
        var data = Tus.RandomBytes(10_000);
        var upload = await Tus.CreateAsync(_service.Client, _service.FilesUrl, data.Length);

        using var response = await Tus.PatchAsync(_service.Client, upload, 0, data, ("Upload-Checksum", $"{algorithm} {Digest(algorithm, data[1..])}"));

        Assert.Equal(460, (int)response.StatusCode);
        Assert.Equal(0, await Tus.OffsetAsync(_service.Client, upload));
    }

    [Fact]
    public async Task A_checksum_sent_as_trailer_is_verified()
    {
        var data = Tus.RandomBytes(50_000);
        var good = await Tus.CreateAsync(_service.Client, _service.FilesUrl, data.Length);
        var bad = await Tus.CreateAsync(_service.Client, _service.FilesUrl, data.Length);

        Assert.Equal(204, (await SendWithTrailerAsync(good, data, $"sha256 {Digest("sha256", data)}")).Status);
        Assert.Equal(460, (await SendWithTrailerAsync(bad, data, $"md5 {Digest("md5", data[..^1])}")).Status);

        Assert.Equal(data, await _service.Client.GetByteArrayAsync(good));
        Assert.Equal(0, await Tus.OffsetAsync(_service.Client, bad));
    }

    [Fact]
    public async Task A_checksummed_body_cut_off_by_the_client_commits_nothing()
    {
        var upload = await Tus.CreateAsync(_service.Client, _service.FilesUrl, 1000);
        await using (var connection = await RawHttpConnection.OpenAsync(upload))
        {
            await connection.SendHeadAsync("PATCH", upload, "Tus-Resumable: 1.0.0", "Upload-Offset: 0", "Content-Type: application/offset+octet-stream",
                "Content-Length: 1000", $"Upload-Checksum: sha1 {Digest("sha1", new byte[1000])}");
            await connection.SendAsync(new byte[600]);
            connection.Abort();
        }

        // Give the server time to notice the abort; the offset must stay 0 (it can never become 600).
        await Task.Delay(500);
        Assert.Equal(0, await Tus.OffsetAsync(_service.Client, upload));
    }

    private async Task<RawResponse> SendWithTrailerAsync(Uri upload, byte[] data, string checksum)
    {
        await using var connection = await RawHttpConnection.OpenAsync(upload);
        await connection.SendHeadAsync("PATCH", upload, "Tus-Resumable: 1.0.0", "Upload-Offset: 0", "Content-Type: application/offset+octet-stream",
            "Transfer-Encoding: chunked", "Trailer: Upload-Checksum");
        await connection.SendChunkAsync(data.AsMemory(0, 20_000));
        await connection.SendChunkAsync(data.AsMemory(20_000));
        await connection.SendLastChunkAsync($"Upload-Checksum: {checksum}");
        return await connection.ReadResponseHeadAsync(TimeSpan.FromSeconds(30));
    }

    internal static string Digest(string algorithm, byte[] data) => Convert.ToBase64String(algorithm switch
    {
        "sha1" => SHA1.HashData(data),
        "md5" => MD5.HashData(data),
        _ => SHA256.HashData(data),
    });
}
