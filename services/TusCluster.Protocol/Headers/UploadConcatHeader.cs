using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Headers;

/// <summary>Upload-Concat: "partial", or "final;" followed by upload URLs separated by spaces.</summary>
public static class UploadConcatHeader
{
    /// <summary>The most partial uploads a final upload may ever list; <c>Tus:MaxConcatParts</c> may only be lower.</summary>
    public const int MaxPartials = 1000;

    public static bool IsPartial(string value) => value.Equals("partial", StringComparison.Ordinal);

    public static bool IsFinal(string value) => value.StartsWith("final;", StringComparison.Ordinal);

    /// <summary>
    /// Reads the upload ids of a final value, in order, duplicates kept. Each URL is a path or an
    /// absolute http(s) URL on one of the <paramref name="scope"/>'s hosts; its path must be one of the
    /// scope's paths followed by an upload id, with nothing after it.
    /// </summary>
    public static bool TryParseFinal(string value, UploadUrlScope scope, int maxPartials, out List<string> ids, out string error)
    {
        ids = [];
        error = string.Empty;
        var urls = value["final;".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (urls.Length == 0 || urls.Length > maxPartials)
        {
            error = $"Upload-Concat final must list between 1 and {maxPartials} partial uploads";
            return false;
        }

        foreach (var url in urls)
        {
            if (url.AsSpan().ContainsAny(",\t"))
            {
                ids.Clear();
                error = "Upload-Concat final separates its URLs by spaces (found a comma or a tab)";
                return false;
            }

            if (ReadId(url, scope) is not { } id)
            {
                ids.Clear();
                error = $"Upload-Concat final lists a URL that is not an upload of this server: {Shorten(url)}";
                return false;
            }

            ids.Add(id);
        }

        return true;
    }

    public static string FormatFinal(IEnumerable<string> ids, string basePath) =>
        "final;" + string.Join(' ', ids.Select(id => basePath + id));

    private static string? ReadId(string url, UploadUrlScope scope)
    {
        string path;
        if (url.StartsWith('/'))
        {
            path = url;
        }
        else if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"
            && absolute.Query.Length == 0 && absolute.Fragment.Length == 0 && absolute.UserInfo.Length == 0
            && UploadUrlScope.TryGetHost(url, out var host) && scope.Hosts.Contains(host, StringComparer.OrdinalIgnoreCase))
        {
            // The original string, not AbsolutePath: Uri would resolve dot segments and escapes first.
            path = url[(url.IndexOf("//", StringComparison.Ordinal) + 2)..];
            var slash = path.IndexOf('/', StringComparison.Ordinal);
            path = slash < 0 ? string.Empty : path[slash..];
        }
        else
        {
            return null;
        }

        foreach (var prefix in scope.Paths)
        {
            if (path.Length == prefix.Length + UploadId.Length && path.StartsWith(prefix, StringComparison.Ordinal)
                && UploadId.IsUpload(path.AsSpan(prefix.Length)))
            {
                return path[prefix.Length..];
            }
        }

        return null;
    }

    private static string Shorten(string url) => url.Length <= 100 ? url : url[..100] + "...";
}
