using System.Net;

namespace TusCluster.Cluster.Tests;

/// <summary>
/// A deliberately unruly tus client: chunks of random size, sometimes sent twice at once, sometimes
/// sent ahead of their turn, every answer (including a dropped connection) followed by HEAD and a
/// resume, as real clients behind flaky networks behave.
/// </summary>
internal sealed class ChunkedClient(HttpClient client, Random random, TimeSpan pauseBetweenChunks = default)
{
    public async Task<Uri> UploadAsync(Uri files, byte[] data)
    {
        var upload = await CreateAsync(files, data.Length);
        for (var attempt = 0; attempt < 2000; attempt++)
        {
            await Task.Delay(pauseBetweenChunks);
            var offset = (int)await OffsetAsync(upload);
            if (offset == data.Length)
            {
                return upload;
            }

            var size = Math.Min(data.Length - offset, random.Next(64 * 1024, 512 * 1024));
            var roll = random.NextDouble();
            if (roll < 0.15 && offset + size < data.Length)
            {
                // Out of order: the next chunk before this one must be refused with the current offset.
                var next = Math.Min(data.Length - offset - size, size);
                // However the refusal reaches the client (409, or a 502 when the replica answered before
                // reading the body and nginx saw it close), the chunk must never be accepted.
                var refused = await TryPatchAsync(upload, offset + size, data.AsMemory(offset + size, next));
                Assert.NotEqual(HttpStatusCode.NoContent, refused);
            }
            else if (roll < 0.35)
            {
                // Racing duplicates of one chunk, as a client retrying too early sends them.
                await Task.WhenAll(TryPatchAsync(upload, offset, data.AsMemory(offset, size)), TryPatchAsync(upload, offset, data.AsMemory(offset, size)));
            }
            else
            {
                await TryPatchAsync(upload, offset, data.AsMemory(offset, size));
            }
        }

        throw new InvalidOperationException($"{upload} did not finish");
    }

    /// <summary>
    /// POST until the service creates the upload: like tus-js-client, a 503 (a dependency slow or down for now,
    /// nothing created), a 502 or a broken connection is retried after a pause.
    /// </summary>
    private async Task<Uri> CreateAsync(Uri files, long length)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var request = Tus.Request(HttpMethod.Post, files, ("Upload-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                using var response = await client.SendAsync(request);
                if (response.StatusCode is not (HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway) || attempt == 300)
                {
                    Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                    return response.Headers.Location ?? throw new InvalidOperationException("201 without Location");
                }
            }
            catch (HttpRequestException) when (attempt < 300)
            {
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// HEAD until the service answers: 503 means a dependency is down for now, 502 that the balancer
    /// lost its connection to a replica (both retried, as tus clients do).
    /// </summary>
    private async Task<long> OffsetAsync(Uri upload)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var head = await Tus.HeadAsync(client, upload);
                if (head.StatusCode is not (HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway) || attempt == 300)
                {
                    Assert.Equal(HttpStatusCode.OK, head.StatusCode);
                    return Tus.Offset(head);
                }
            }
            catch (HttpRequestException) when (attempt < 300)
            {
            }

            await Task.Delay(100);
        }
    }

    /// <returns>The status, or null when the connection broke before an answer.</returns>
    private async Task<HttpStatusCode?> TryPatchAsync(Uri upload, int offset, ReadOnlyMemory<byte> chunk)
    {
        try
        {
            using var response = await Tus.PatchAsync(client, upload, offset, new TrickleContent(chunk.ToArray(), 64 * 1024));
            Assert.True(
                response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.Conflict or HttpStatusCode.Locked
                    or HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway,
                $"PATCH at {offset} got {(int)response.StatusCode}");
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
