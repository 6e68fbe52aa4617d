using System.Net;

namespace TusCluster.UploadService.Tests.Protocol;

public sealed class ConcurrentPatchTests : IAsyncLifetime
{
    private TusServiceInstance _service = null!;

    public async ValueTask InitializeAsync() => _service = await TusServiceInstance.StartAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    [Fact]
    public async Task Two_racing_patches_never_both_append_at_the_same_offset()
    {
        const int size = 1024 * 1024;
        for (var round = 0; round < 15; round++)
        {
            var bodies = new[] { Tus.RandomBytes(size), Tus.RandomBytes(size) };
            // The upload is longer than either body, so that afterwards it can be finished and read back.
            var upload = await Tus.CreateAsync(_service.Client, _service.FilesUrl, 2 * size);

            var accepted = await Task.WhenAll(bodies.Select(b => AcceptedBytesAsync(upload, b)));

            Assert.True(accepted.Count(a => a > 0) <= 1, $"round {round}: both appended at offset 0 ({accepted[0]}, {accepted[1]})");
            var committed = (int)await Tus.OffsetAsync(_service.Client, upload);
            using (var filler = await Tus.PatchAsync(_service.Client, upload, committed, new byte[(2 * size) - committed]))
            {
                Assert.Equal(HttpStatusCode.NoContent, filler.StatusCode);
            }

            // What was committed came whole from one request, never interleaved from both.
            var prefix = (await _service.Client.GetByteArrayAsync(upload))[..committed];
            Assert.True(prefix.SequenceEqual(bodies[0][..committed]) || prefix.SequenceEqual(bodies[1][..committed]), $"round {round}: committed bytes mix both bodies");
        }
    }

    /// <summary>
    /// Bytes a PATCH from offset 0 reports as appended; 0 when it was refused or when the server
    /// answered before reading the whole body and the client saw the connection close instead (a tus
    /// client treats both as "HEAD and resume").
    /// </summary>
    private async Task<long> AcceptedBytesAsync(Uri upload, byte[] body)
    {
        try
        {
            using var response = await Tus.PatchAsync(_service.Client, upload, 0, new TrickleContent(body, 32 * 1024));
            Assert.True(response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.Conflict, $"{response.StatusCode}");
            return response.StatusCode == HttpStatusCode.NoContent ? Tus.Offset(response) : 0;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    [Fact]
    public async Task Competing_resuming_clients_with_the_same_bytes_produce_exactly_those_bytes()
    {
        var data = Tus.RandomBytes(3 * 1024 * 1024);
        var upload = await Tus.CreateAsync(_service.Client, _service.FilesUrl, data.Length);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ResumeUntilDoneAsync(upload, data)));

        Assert.Equal(data, await _service.Client.GetByteArrayAsync(upload));
    }

    /// <summary>
    /// A tus client: HEAD for the offset, PATCH a chunk from there, retry on 409 and 423 after a short random
    /// delay, as clients do. Without the delay four clients can take the upload from each other faster than a
    /// store that commits in blocks (Azure) commits anything, and none gets anywhere (seen in CI).
    /// </summary>
    private async Task ResumeUntilDoneAsync(Uri upload, byte[] data)
    {
        for (var attempt = 0; attempt < 500; attempt++)
        {
            var offset = await Tus.OffsetAsync(_service.Client, upload);
            if (offset == data.Length)
            {
                return;
            }

            var end = (int)Math.Min(data.Length, offset + Random.Shared.Next(100_000, 600_000));
            try
            {
                using var response = await Tus.PatchAsync(_service.Client, upload, offset, new TrickleContent(data[(int)offset..end], 16 * 1024));
                Assert.True(response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.Conflict or HttpStatusCode.Locked, $"{response.StatusCode}");
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    continue;
                }
            }
            catch (HttpRequestException)
            {
                // Answered before the body was read (hand-over or 409): the connection closed under the client.
            }

            await Task.Delay(Random.Shared.Next(10, 100));
        }

        Assert.Fail("the upload did not finish");
    }
}
