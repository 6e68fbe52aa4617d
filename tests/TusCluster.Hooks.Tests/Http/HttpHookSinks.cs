using TusCluster.Hooks.Http;

namespace TusCluster.Hooks.Tests.Http;

internal static class HttpHookSinks
{
    public static SinkHost Create(Dictionary<string, string?> settings) =>
        new(HttpHooksServiceCollectionExtensions.AddHttpHooks, HttpHookOptions.SectionName, settings);

    /// <summary>Settings for a receiver with fast retries, so the tests do not wait for tusd's 1 s backoff.</summary>
    public static Dictionary<string, string?> Fast(Uri url) => new()
    {
        ["Url"] = url.ToString(),
        ["Events:0"] = "pre-create",
        ["Events:1"] = "post-finish",
        ["Retries"] = "3",
        ["Backoff"] = "00:00:00.020",
        ["Timeout"] = "00:00:05",
        ["TotalTimeout"] = "00:00:20",
    };
}
