using System.Net.Http.Headers;

namespace TusCluster.LockBench;

/// <summary>
/// The HTTP half of counting backend round trips per PATCH: <c>create</c> makes uploads of 2 bytes, and
/// <c>patch</c> sends each one 1-byte PATCH (the hot path: the upload does not finish), one at a time so
/// that nothing else runs while the script counts requests at the backend server.
/// </summary>
internal static class PatchRoundTrips
{
    public static async Task<int> CreateAsync(BenchArguments arguments)
    {
        var url = new Uri(arguments.Text("url"));
        var count = arguments.Number("count", 500);
        using var client = new HttpClient();
        var locations = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent([]) };
            request.Headers.Add("Tus-Resumable", "1.0.0");
            request.Headers.Add("Upload-Length", "2");
            using var response = await client.SendAsync(request);
            if ((int)response.StatusCode != 201 || response.Headers.Location is not { } location)
            {
                await Console.Error.WriteLineAsync($"POST answered {(int)response.StatusCode}");
                return 1;
            }

            locations.Add(new Uri(url, location).AbsoluteUri);
        }

        await File.WriteAllLinesAsync(arguments.Text("out"), locations);
        return 0;
    }

    public static async Task<int> PatchAsync(BenchArguments arguments)
    {
        var locations = await File.ReadAllLinesAsync(arguments.Text("ids"));
        using var client = new HttpClient();
        foreach (var location in locations)
        {
            using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent([42]) };
            request.Headers.Add("Tus-Resumable", "1.0.0");
            request.Headers.Add("Upload-Offset", "0");
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
            using var response = await client.SendAsync(request);
            if ((int)response.StatusCode != 204)
            {
                await Console.Error.WriteLineAsync($"PATCH {location} answered {(int)response.StatusCode}");
                return 1;
            }
        }

        return 0;
    }
}
