using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TusCluster.Hooks.File;
using TusCluster.Hooks.Sinks;

namespace TusCluster.Hooks.Tests.File;

/// <summary>A temporary hook directory with real executables, and the file sink built on it through AddFileHooks.</summary>
internal sealed class HookDirectory : IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private ServiceProvider? _provider;

    public string Path => _directory.Path;

    public CapturedLogs Logs { get; } = new();

    /// <summary>Writes an executable (chmod 755) named <paramref name="name"/>; <paramref name="script"/> starts with its #! line.</summary>
    public string Write(string name, string script, bool executable = true)
    {
        var path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(path, script.ReplaceLineEndings("\n"));
        if (executable && !OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        return path;
    }

    public IHookSink Sink(Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Tus:Hooks:File:Directory"] = Path,
            ["Tus:Hooks:File:Events:0"] = "pre-create",
            ["Tus:Hooks:File:Events:1"] = "post-finish",
            ["Tus:Hooks:File:Timeout"] = "00:00:20",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all["Tus:Hooks:File:" + key] = value;
        }

        _provider = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(Logs))
            .AddFileHooks(new ConfigurationBuilder().AddInMemoryCollection(all).Build())
            .BuildServiceProvider();
        return _provider.GetServices<IHookSink>().Single();
    }

    public void Dispose()
    {
        _provider?.Dispose();
        _directory.Dispose();
    }
}
