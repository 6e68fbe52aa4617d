using Sentry;

namespace TusCluster.Observability.ErrorReporting;

/// <summary>
/// The last look at an event before it leaves (the SDK's BeforeSend): only request headers known to be harmless
/// stay, and no body, cookie or query string goes. Headers are kept by allow-list because credentials also
/// travel in headers the service cannot know of (a hook receiver's own token, forwarded to it).
/// </summary>
internal static class RequestDataScrubber
{
    private static readonly HashSet<string> KeptHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "User-Agent", "Accept", "Content-Type", "Content-Length", "Transfer-Encoding",
        "Tus-Resumable", "Upload-Offset", "Upload-Length", "Upload-Defer-Length", "Upload-Concat", "Upload-Checksum",
        "X-HTTP-Method-Override", "X-Forwarded-Proto", "traceparent",
    };

    public static SentryEvent Scrub(SentryEvent @event)
    {
        var request = @event.Request;
        request.Data = null;
        request.Cookies = null;
        request.QueryString = null;
        if (request.Url is { } url && url.IndexOf('?', StringComparison.Ordinal) is var query and >= 0)
        {
            request.Url = url[..query];
        }

        foreach (var name in request.Headers.Keys.Where(name => !KeptHeaders.Contains(name)).ToList())
        {
            request.Headers.Remove(name);
        }

        return @event;
    }
}
