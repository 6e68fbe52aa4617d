using System.Net;

namespace TusCluster.Cluster.Tests;

/// <summary>
/// A deliberately unruly tus client: chunks of random size, sometimes sent twice at once, sometimes
/// sent ahead of their turn, every answer (including a dropped connection) followed by HEAD and a
/// resume, as real clients behind flaky networks behave. Nothing acknowledged may be lost: a HEAD never
/// answers an offset below one a 204 acknowledged.
/// </summary>
internal sealed class ChunkedClient(HttpClient client, Random random, TimeSpan pauseBetweenChunks = default)
{
    private long _acknowledged;

    public async Task<Uri> UploadAsync(Uri files, byte[] data)
    {
        var upload = await CreateAsync(files, data.Length);
        for (var attempt = 0; attempt < 2000; attempt++)
        {
            await Task.Delay(pauseBetweenChunks);
            var offset = (int)await OffsetAsync(upload);
            Assert.True(offset >= Interlocked.Read(ref _acknowledged), $"{upload} is at {offset} after {_acknowledged} was acknowledged");
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

    /// <summary>POST until the service creates the upload.</summary>
    private Task<Uri> CreateAsync(Uri files, long length) =>
        UntilAnsweredAsync(
            () => client.SendAsync(Tus.Request(HttpMethod.Post, files, ("Upload-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
            HttpStatusCode.Created,
            response => response.Headers.Location ?? throw new InvalidOperationException("201 without Location"));

    private Task<long> OffsetAsync(Uri upload) => UntilAnsweredAsync(() => Tus.HeadAsync(client, upload), HttpStatusCode.OK, Tus.Offset);

    /// <summary>
    /// Sends until the service answers, as tus clients do: a 503 (a dependency slow or down for now, nothing
    /// changed), a 502 (the balancer lost its connection to a replica) or a broken connection is retried after
    /// a pause; any other answer must be <paramref name="expected"/>.
    /// </summary>
    private static async Task<T> UntilAnsweredAsync<T>(Func<Task<HttpResponseMessage>> send, HttpStatusCode expected, Func<HttpResponseMessage, T> read)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var response = await send();
                if (response.StatusCode is not (HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway) || attempt == 300)
                {
                    Assert.Equal(expected, response.StatusCode);
                    return read(response);
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
            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                Acknowledge(Tus.Offset(response));
            }

            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private void Acknowledge(long offset)
    {
        // Racing duplicates may answer out of order: keep the highest.
        long seen;
        while (offset > (seen = Interlocked.Read(ref _acknowledged)) && Interlocked.CompareExchange(ref _acknowledged, offset, seen) != seen)
        {
        }
    }
}
