using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace TusCluster.Testing;

/// <summary>
/// A real HTTP hook receiver process (tests/TusCluster.Hooks.Tests/receivers/http_receiver.py, Python's
/// ThreadingHTTPServer) on a free loopback port: records every request and answers from a JSON script the
/// test can change while it runs (see the script's docstring). Stopped by its own PID.
/// </summary>
public sealed class HookReceiver : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly TemporaryDirectory _directory = new();
    private Process? _process;

    private HookReceiver(int port)
    {
        Port = port;
        Directory.CreateDirectory(RecordDirectory);
    }

    public int Port { get; }

    /// <summary>Where hooks are POSTed (any path is accepted and recorded).</summary>
    public Uri Url => new($"http://127.0.0.1:{Port}/hooks");

    private string RecordDirectory => Path.Combine(_directory.Path, "requests");

    private string ScriptPath => Path.Combine(_directory.Path, "script.json");

    public static async Task<HookReceiver> StartAsync(string script = "{}")
    {
        var receiver = new HookReceiver(FreePort.Next());
        receiver.SetScript(script);
        await receiver.StartAsync();
        return receiver;
    }

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(Python);
        foreach (var argument in (string[])[ScriptFile, "--port", Port.ToString(CultureInfo.InvariantCulture), "--record-dir", RecordDirectory, "--script", ScriptPath])
        {
            start.ArgumentList.Add(argument);
        }

        var process = _process = ServerProcesses.StartDrained(start, "http_receiver.py");
        await Readiness.WaitAsync(
            $"the hook receiver on port {Port}",
            Readiness.HttpProbe(new Uri($"http://127.0.0.1:{Port}/ready")),
            () => process.HasExited ? $"it exited with {process.ExitCode}" : null);
    }

    /// <summary>Replaces the answer script; the receiver reads it on its next request (and starts its "responses" list again).</summary>
    public void SetScript(string json)
    {
        using (JsonDocument.Parse(json))
        {
            // Only checks that the test wrote JSON: a typo should fail here, not as a puzzling answer later.
        }

        var temporary = ScriptPath + ".tmp";
        File.WriteAllText(temporary, json);
        File.Move(temporary, ScriptPath, overwrite: true);
    }

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedHook> Requests() =>
        [.. Directory.EnumerateFiles(RecordDirectory, "*.json").Order(StringComparer.Ordinal).Select(ReceivedHook.Read)];

    /// <summary>SIGKILL of exactly this process; <see cref="StartAsync()"/> brings it back on the same port.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await ServerProcesses.KillAsync(process);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _directory.Dispose();
    }

    private static string ScriptFile => Path.Combine(RepositoryPaths.Root, "tests", "TusCluster.Hooks.Tests", "receivers", "http_receiver.py");
}
