using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TusCluster.Hooks.Http;
using TusCluster.Hooks.Sinks;

namespace TusCluster.Hooks.Tests.Http;

/// <summary>The HTTP sink as the service builds it: configuration through <see cref="HttpHooksServiceCollectionExtensions.AddHttpHooks"/>.</summary>
internal sealed class HttpHookSinks : IDisposable
{
    private readonly ServiceProvider _provider;

    public HttpHookSinks(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.ToDictionary(pair => HttpHookOptions.SectionName + ":" + pair.Key, pair => pair.Value))
            .Build();
        _provider = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace))
            .AddHttpHooks(configuration)
            .BuildServiceProvider();
    }

    public CapturedLogs Logs { get; } = new();

    public IHookSink Sink => _provider.GetServices<IHookSink>().Single();

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

    public void Dispose() => _provider.Dispose();
}
