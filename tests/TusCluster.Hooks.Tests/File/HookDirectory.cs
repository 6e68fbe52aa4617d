using TusCluster.Hooks.File;
using TusCluster.Hooks.Sinks;

namespace TusCluster.Hooks.Tests.File;

/// <summary>A temporary hook directory with real executables, and the file sink built on it through AddFileHooks.</summary>
internal sealed class HookDirectory : IDisposable
{
    private readonly TemporaryDirectory _directory = new();
    private SinkHost? _host;

    public string Path => _directory.Path;

    public CapturedLogs Logs => _host?.Logs ?? throw new InvalidOperationException("No sink yet.");

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
            ["Directory"] = Path,
            ["Events:0"] = "pre-create",
            ["Events:1"] = "post-finish",
            ["Timeout"] = "00:00:20",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        _host?.Dispose();
        _host = new SinkHost(FileHooksServiceCollectionExtensions.AddFileHooks, FileHookOptions.SectionName, all);
        return _host.Sink;
    }

    public void Dispose()
    {
        _host?.Dispose();
        _directory.Dispose();
    }
}
