using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TusCluster.Hooks.Sinks;

namespace TusCluster.Hooks.Tests;

/// <summary>A sink as the service builds it: one section of configuration through the transport's Add*Hooks extension, logs captured.</summary>
internal sealed class SinkHost : IDisposable
{
    private readonly ServiceProvider _provider;

    /// <param name="section">The transport's section, e.g. Tus:Hooks:Http; <paramref name="settings"/> keys are relative to it.</param>
    public SinkHost(Func<IServiceCollection, IConfiguration, IServiceCollection> addHooks, string section, IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.ToDictionary(pair => section + ":" + pair.Key, pair => pair.Value))
            .Build();
        _provider = addHooks(new ServiceCollection().AddLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace)), configuration)
            .BuildServiceProvider();
    }

    public CapturedLogs Logs { get; } = new();

    public IServiceProvider Services => _provider;

    public IHookSink Sink => _provider.GetServices<IHookSink>().Single();

    public void Dispose() => _provider.Dispose();
}
