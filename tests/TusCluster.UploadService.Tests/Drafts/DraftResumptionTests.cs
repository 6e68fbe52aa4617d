using System.Globalization;
using System.Net;

namespace TusCluster.UploadService.Tests.Drafts;

/// <summary>
/// An append cut off mid-body (the client's connection reset) keeps a true prefix; offset retrieval tells the
/// client where to go on, and the rest completes the upload with every byte right.
/// </summary>
public sealed class DraftResumptionTests : IAsyncLifetime
{
    private TusServiceInstance _service = null!;

    public async ValueTask InitializeAsync() => _service = await TusServiceInstance.StartAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    [Theory]
    [Trait("Store", "FileSystem")] // Waits for the file store's staging file to know the append is mid-body.
    [MemberData(nameof(DraftHttp.InteropVersions), MemberType = typeof(DraftHttp))]
    public async Task An_append_cut_off_mid_body_is_resumed_from_the_retrieved_offset(int version)
    {
        var data = Tus.RandomBytes(1_000_000);
        using var created = await DraftHttp.CreateAsync(_service.Client, _service.FilesUrl, version, complete: false, data[..100_000]);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var upload = created.Headers.Location!;

        var connection = await RawHttpConnection.OpenAsync(upload);
        var (completeName, completeValue) = DraftHttp.CompleteHeader(version, complete: true);
        List<string> head =
        [
            $"Upload-Draft-Interop-Version: {version}", $"{completeName}: {completeValue}", "Upload-Offset: 100000",
            $"Content-Length: {(data.Length - 100_000).ToString(CultureInfo.InvariantCulture)}",
        ];
        if (DraftHttp.AppendMediaType(version) is { } type)
        {
            head.Add($"Content-Type: {type}");
        }

        await connection.SendHeadAsync("PATCH", upload, [.. head]);
        await connection.SendAsync(data.AsMemory(100_000, 400_000));
        await _service.WaitForStagedChunkAsync(upload);
        connection.Abort();

        // Once the cut request has committed what it had, the offset stops moving: a prefix of what was sent.
        long offset = -1;
        await Eventually.HoldsAsync(
            async () =>
            {
                using var retrieved = await DraftHttp.HeadAsync(_service.Client, upload, version);
                var before = offset;
                offset = retrieved.StatusCode == HttpStatusCode.NoContent ? Tus.Offset(retrieved) : -1;
                return offset > 100_000 && offset == before && DraftHttp.Complete(retrieved, version) == false;
            },
            "the cut append to commit a prefix");
        Assert.InRange(offset, 100_001, 500_000);

        using var rest = await DraftHttp.AppendAsync(_service.Client, upload, version, offset, complete: true, data[(int)offset..]);
        Assert.True(rest.IsSuccessStatusCode, $"{rest.StatusCode}: {await rest.Content.ReadAsStringAsync()}");
        Assert.True(DraftHttp.Complete(rest, version));
        Assert.Equal(data, await _service.Client.GetByteArrayAsync(upload));
    }
}
