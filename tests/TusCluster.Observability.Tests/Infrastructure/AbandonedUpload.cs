using System.Net;

namespace TusCluster.Observability.Tests.Infrastructure;

internal static class AbandonedUpload
{
    /// <summary>
    /// Creates an upload with its first bytes in the same request (creation-with-upload) and never
    /// finishes it, so it expires however slowly the machine runs.
    /// </summary>
    public static async Task CreateAsync(HttpClient client, Uri files, byte[] firstBytes, long length)
    {
        var request = Tus.Request(HttpMethod.Post, files, ("Upload-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        request.Content = Tus.OctetStreamContent(firstBytes);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
