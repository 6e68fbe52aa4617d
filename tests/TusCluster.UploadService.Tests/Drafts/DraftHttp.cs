using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace TusCluster.UploadService.Tests.Drafts;

/// <summary>
/// The IETF draft's requests written out by hand over HttpClient (no client library): one method per draft
/// operation, with the header spelling of each interop version.
/// </summary>
internal static class DraftHttp
{
    public static readonly TheoryData<int> InteropVersions = new(3, 4, 5, 6, 7, 8);

    /// <summary>Version 3 says Upload-Incomplete (inverted); 4 on say Upload-Complete.</summary>
    public static (string Name, string Value) CompleteHeader(int version, bool complete) =>
        version == 3 ? ("Upload-Incomplete", complete ? "?0" : "?1") : ("Upload-Complete", complete ? "?1" : "?0");

    /// <summary>Reads the completeness a response reports, in the version's spelling.</summary>
    public static bool? Complete(HttpResponseMessage response, int version) =>
        (version == 3 ? Tus.Header(response, "Upload-Incomplete") : Tus.Header(response, "Upload-Complete")) switch
        {
            "?1" => version != 3,
            "?0" => version == 3,
            _ => null,
        };

    public static HttpRequestMessage Request(HttpMethod method, Uri url, int version, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.TryAddWithoutValidation("Upload-Draft-Interop-Version", version.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    public static Task<HttpResponseMessage> CreateAsync(HttpClient client, Uri files, int version, bool complete, byte[]? body, params (string Name, string Value)[] headers)
    {
        var request = Request(HttpMethod.Post, files, version, [.. headers, CompleteHeader(version, complete)]);
        request.Content = new ByteArrayContent(body ?? []);
        return client.SendAsync(request);
    }

    /// <summary>Creates an upload without content and returns its URL.</summary>
    public static async Task<Uri> CreateEmptyAsync(HttpClient client, Uri files, int version)
    {
        using var response = await CreateAsync(client, files, version, complete: false, body: null);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return response.Headers.Location!;
    }

    /// <summary>The media type an append must carry: application/partial-upload from version 6 (draft -04).</summary>
    public static string? AppendMediaType(int version) => version >= 6 ? "application/partial-upload" : null;

    public static Task<HttpResponseMessage> AppendAsync(HttpClient client, Uri upload, int version, long offset, bool complete, byte[] body, params (string Name, string Value)[] headers) =>
        AppendAsync(client, upload, version, offset, complete, new ByteArrayContent(body), headers);

    public static Task<HttpResponseMessage> AppendAsync(HttpClient client, Uri upload, int version, long offset, bool complete, HttpContent content, params (string Name, string Value)[] headers)
    {
        var request = Request(HttpMethod.Patch, upload, version, [.. headers, CompleteHeader(version, complete), ("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture))]);
        if (AppendMediaType(version) is { } type)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(type);
        }

        request.Content = content;
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> HeadAsync(HttpClient client, Uri upload, int version) =>
        client.SendAsync(Request(HttpMethod.Head, upload, version));

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
