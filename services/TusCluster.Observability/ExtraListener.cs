using Microsoft.AspNetCore.Hosting;

namespace TusCluster.Observability;

/// <summary>Adds a listen address to the configured ones (Tus:Server:Urls or --urls) instead of replacing them.</summary>
public static class ExtraListener
{
    /// <summary>Listens on <paramref name="port"/> as well, on the host of the first configured address (0.0.0.0 in a pod).</summary>
    /// <param name="scheme">http or https.</param>
    public static void Add(IWebHostBuilder webHost, string scheme, int port)
    {
        ArgumentNullException.ThrowIfNull(webHost);
        var urls = webHost.GetSetting(WebHostDefaults.ServerUrlsKey);
        var list = string.IsNullOrWhiteSpace(urls) ? ["http://localhost:5000"] : urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var host = Uri.TryCreate(list[0].Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var first)
            ? first.Host
            : "0.0.0.0";
        webHost.UseSetting(WebHostDefaults.ServerUrlsKey, string.Join(';', [.. list, $"{scheme}://{host}:{port}"]));
    }
}
