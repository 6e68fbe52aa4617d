namespace TusCluster.Protocol.Headers;

/// <summary>
/// Where this server's upload URLs live, as a client may name them in Upload-Concat: host names (in
/// ASCII, IDNA form, compared without case, port and scheme aside) for absolute URLs, and the paths
/// under which upload ids follow (the base path, and the public path behind a trusted proxy's prefix).
/// </summary>
public sealed record UploadUrlScope(IReadOnlyCollection<string> Hosts, IReadOnlyCollection<string> Paths)
{
    /// <summary>The host of an absolute URL in the form <see cref="Hosts"/> holds; false for no URL or an invalid IDNA name.</summary>
    public static bool TryGetHost(string url, out string host)
    {
        host = string.Empty;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return false;
        }

        try
        {
            host = uri.IdnHost;
        }
        catch (UriFormatException)
        {
            // A label that only looks like IDNA (xn--zz-): not a host of this server.
            return false;
        }

        return host.Length > 0;
    }
}
