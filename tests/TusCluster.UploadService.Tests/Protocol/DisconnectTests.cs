using System.Net;

namespace TusCluster.UploadService.Tests.Protocol;

public sealed class DisconnectTests : IAsyncLifetime
{
    private TusServiceInstance _service = null!;

    public async ValueTask InitializeAsync() => _service = await TusServiceInstance.StartAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    [Fact]
    public async Task Every_byte_that_reached_the_server_before_the_client_left_is_committed()
    {
        var data = Tus.RandomBytes(1_000_000);
        var upload = await Tus.CreateAsync(_service.Client, _service.FilesUrl, data.Length);
        await using (var connection = await RawHttpConnection.OpenAsync(upload))
        {
            await connection.SendHeadAsync("PATCH", upload, "Tus-Resumable: 1.0.0", "Upload-Offset: 0", "Content-Type: application/offset+octet-stream", "Content-Length: 1000000");
            await connection.SendAsync(data.AsMemory(0, 345_678));

            // Kestrel drops bytes that arrive in the same socket read as the client's FIN (it throws
            // "Unexpected end of request content" without handing them over), so the close comes after
            // the server has had ample time to read what was sent.
            await Task.Delay(1000);
        }

        Assert.Equal(345_678, await WaitForOffsetAsync(upload, 345_678));
        using var rest = await Tus.PatchAsync(_service.Client, upload, 345_678, data[345_678..]);
        Assert.Equal(HttpStatusCode.NoContent, rest.StatusCode);
        Assert.Equal(data, await _service.Client.GetByteArrayAsync(upload));
    }

    [Fact]
    public async Task A_connection_reset_mid_body_leaves_a_correct_prefix_to_resume_from()
    {
        var data = Tus.RandomBytes(1_000_000);
        var upload = await Tus.CreateAsync(_service.Client, _service.FilesUrl, data.Length);
        var connection = await RawHttpConnection.OpenAsync(upload);
        await connection.SendHeadAsync("PATCH", upload, "Tus-Resumable: 1.0.0", "Upload-Offset: 0", "Content-Type: application/offset+octet-stream", "Content-Length: 1000000");
        await connection.SendAsync(data.AsMemory(0, 500_000));
        await Task.Delay(200);
        connection.Abort();

        // The kernel may drop bytes not yet read when the reset arrives; whatever is committed must be a true prefix.
        var offset = await WaitForOffsetAsync(upload, 500_000);
        Assert.InRange(offset, 0, 500_000);
        using var rest = await Tus.PatchAsync(_service.Client, upload, offset, data[(int)offset..]);
        Assert.Equal(HttpStatusCode.NoContent, rest.StatusCode);
        Assert.Equal(data, await _service.Client.GetByteArrayAsync(upload));
    }

    /// <summary>Polls HEAD until the offset reaches <paramref name="expected"/> or stops changing.</summary>
    private async Task<long> WaitForOffsetAsync(Uri upload, long expected)
    {
        long offset = -1;
        for (var i = 0; i < 100; i++)
        {
            offset = await Tus.OffsetAsync(_service.Client, upload);
            if (offset == expected)
            {
                break;
            }

            await Task.Delay(50);
        }

        return offset;
    }
}
