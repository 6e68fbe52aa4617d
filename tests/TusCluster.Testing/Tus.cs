using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace TusCluster.Testing;

/// <summary>Small tus client over HttpClient: each call is one plain HTTP request.</summary>
public static class Tus
{
    public const string OctetStream = "application/offset+octet-stream";

    public static HttpRequestMessage Request(HttpMethod method, Uri url, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.TryAddWithoutValidation("Tus-Resumable", "1.0.0");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    public static async Task<Uri> CreateAsync(HttpClient client, Uri files, long? length, string? metadata = null, params (string Name, string Value)[] headers)
    {
        List<(string, string)> all = [.. headers];
        all.Add(length is { } l ? ("Upload-Length", l.ToString(CultureInfo.InvariantCulture)) : ("Upload-Defer-Length", "1"));
        if (metadata is not null)
        {
            all.Add(("Upload-Metadata", metadata));
        }

        using var response = await client.SendAsync(Request(HttpMethod.Post, files, [.. all]));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var location = response.Headers.Location ?? throw new InvalidOperationException("201 without Location");
        Assert.True(location.IsAbsoluteUri, $"Location must be absolute: {location}");
        return location;
    }

    public static Task<HttpResponseMessage> PatchAsync(HttpClient client, Uri upload, long offset, byte[] body, params (string Name, string Value)[] headers) =>
        PatchAsync(client, upload, offset, OctetStreamContent(body), headers);

    public static Task<HttpResponseMessage> PatchAsync(HttpClient client, Uri upload, long offset, HttpContent content, params (string Name, string Value)[] headers)
    {
        var request = Request(HttpMethod.Patch, upload, [.. headers, ("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture))]);
        request.Content = content;
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> HeadAsync(HttpClient client, Uri upload) =>
        client.SendAsync(Request(HttpMethod.Head, upload));

    public static async Task<long> OffsetAsync(HttpClient client, Uri upload)
    {
        using var response = await HeadAsync(client, upload);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Offset(response);
    }

    public static long Offset(HttpResponseMessage response) =>
        long.Parse(response.Headers.GetValues("Upload-Offset").Single(), CultureInfo.InvariantCulture);

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : null;

    public static ByteArrayContent OctetStreamContent(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(OctetStream);
        return content;
    }

    /// <summary>Uploads <paramref name="data"/> in chunks and returns the upload URL.</summary>
    public static async Task<Uri> UploadAsync(HttpClient client, Uri files, byte[] data, int chunkSize, string? metadata = null, params (string Name, string Value)[] createHeaders)
    {
        var upload = await CreateAsync(client, files, data.Length, metadata, createHeaders);
        for (var offset = 0; offset < data.Length; offset += chunkSize)
        {
            using var response = await PatchAsync(client, upload, offset, data[offset..Math.Min(data.Length, offset + chunkSize)]);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        return upload;
    }

    public static byte[] RandomBytes(int length)
    {
        var data = new byte[length];
        Random.Shared.NextBytes(data);
        return data;
    }
}
