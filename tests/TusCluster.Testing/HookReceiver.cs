using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace TusCluster.Testing;

/// <summary>
/// A real hook receiver process on a free loopback port, from tests/TusCluster.Hooks.Tests/receivers: an HTTP
/// one (http_receiver.py, Python's ThreadingHTTPServer) or a tusd gRPC hook server (grpc_receiver.py, Debian's
/// python3-grpcio, its stubs generated from the service's hook.proto at start). Records every request and
/// answers from a JSON script the test can change while it runs (see the scripts' docstrings). Stopped by its
/// own PID.
/// </summary>
public sealed class HookReceiver : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private static readonly string Receivers = Path.Combine(RepositoryPaths.Root, "tests", "TusCluster.Hooks.Tests", "receivers");
    private readonly TemporaryDirectory _directory = new();
    private readonly bool _grpc;
    private Process? _process;

    private HookReceiver(int port, bool grpc)
    {
        Port = port;
        _grpc = grpc;
        Directory.CreateDirectory(RecordDirectory);
    }

    public int Port { get; }

    /// <summary>Where HTTP hooks are POSTed (any path is accepted and recorded).</summary>
    public Uri Url => new($"http://127.0.0.1:{Port}/hooks");

    /// <summary>The gRPC server's address (HTTP/2 without TLS).</summary>
    public Uri GrpcAddress => new($"http://127.0.0.1:{Port}");

    private string RecordDirectory => Path.Combine(_directory.Path, "requests");

    private string ScriptPath => Path.Combine(_directory.Path, "script.json");

    private string StubDirectory => Path.Combine(_directory.Path, "stubs");

    public static Task<HookReceiver> StartAsync(string script = "{}") => StartAsync(script, grpc: false);

    public static Task<HookReceiver> StartGrpcAsync(string script = "{}") => StartAsync(script, grpc: true);

    public async Task StartAsync()
    {
        if (_grpc && !Directory.Exists(StubDirectory))
        {
            await GenerateStubsAsync();
        }

        var start = new ProcessStartInfo(Python);
        string[] arguments = _grpc
            ? [Path.Combine(Receivers, "grpc_receiver.py"), "--stubs", StubDirectory]
            : [Path.Combine(Receivers, "http_receiver.py")];
        foreach (var argument in (string[])[.. arguments, "--port", Port.ToString(CultureInfo.InvariantCulture), "--record-dir", RecordDirectory, "--script", ScriptPath])
        {
            start.ArgumentList.Add(argument);
        }

        var process = _process = ServerProcesses.StartDrained(start, "hook receiver");
        await Readiness.WaitAsync(
            $"the {(_grpc ? "gRPC" : "HTTP")} hook receiver on port {Port}",
            _grpc ? Readiness.TcpProbe(Port) : Readiness.HttpProbe(new Uri($"http://127.0.0.1:{Port}/ready")),
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
    public IReadOnlyList<ReceivedHook> Requests() => ReceivedHook.ReadAll(RecordDirectory);

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

    private static async Task<HookReceiver> StartAsync(string script, bool grpc)
    {
        var receiver = new HookReceiver(FreePort.Next(), grpc);
        receiver.SetScript(script);
        await receiver.StartAsync();
        return receiver;
    }

    /// <summary>Python stubs from the very .proto the service compiles, so both sides share one contract.</summary>
    private async Task GenerateStubsAsync()
    {
        var proto = Path.Combine(RepositoryPaths.Root, "services", "TusCluster.Hooks", "Grpc");
        Directory.CreateDirectory(StubDirectory);
        var start = new ProcessStartInfo(Python) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in (string[])["-m", "grpc_tools.protoc", $"-I{proto}", $"--python_out={StubDirectory}", $"--grpc_python_out={StubDirectory}", "hook.proto"])
        {
            start.ArgumentList.Add(argument);
        }

        using var protoc = Process.Start(start) ?? throw new InvalidOperationException("python3 -m grpc_tools.protoc did not start.");
        var errors = protoc.StandardError.ReadToEndAsync();
        await protoc.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await protoc.WaitForExitAsync(timeout.Token);
        if (protoc.ExitCode != 0)
        {
            throw new InvalidOperationException($"grpc_tools.protoc failed with {protoc.ExitCode} (apt-get install python3-grpc-tools): {await errors}");
        }
    }
}
