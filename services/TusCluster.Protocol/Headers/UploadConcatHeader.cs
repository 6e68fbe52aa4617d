using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Headers;

/// <summary>Upload-Concat: "partial", or "final;" followed by space-separated upload URLs.</summary>
public static class UploadConcatHeader
{
    public const int MaxPartials = 1000;

    public static bool IsPartial(string value) => value.Equals("partial", StringComparison.Ordinal);

    public static bool IsFinal(string value) => value.StartsWith("final;", StringComparison.Ordinal);

    /// <summary>
    /// Reads the upload ids of a final value. Each URL may be absolute or a path; its path must end
    /// with <paramref name="basePath"/> followed by a valid upload id.
    /// </summary>
    public static bool TryParseFinal(string value, string basePath, out List<string> ids, out string error)
    {
        ids = [];
        error = string.Empty;
        var urls = value["final;".Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (urls.Length == 0 || urls.Length > MaxPartials)
        {
            error = $"Upload-Concat final must list between 1 and {MaxPartials} partial uploads";
            return false;
        }

        foreach (var url in urls)
        {
            var path = Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"
                ? absolute.AbsolutePath
                : url;
            var slash = path.LastIndexOf('/');
            var id = path[(slash + 1)..];
            if (slash < 0 || !path[..(slash + 1)].EndsWith(basePath, StringComparison.Ordinal) || !UploadId.IsValid(id))
            {
                error = "Upload-Concat final lists a URL that is not an upload of this server";
                return false;
            }

            ids.Add(id);
        }

        return true;
    }

    public static string FormatFinal(IEnumerable<string> ids, string basePath) =>
        "final;" + string.Join(' ', ids.Select(id => basePath + id));
}
