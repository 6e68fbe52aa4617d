using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace TusCluster.Testing;

/// <summary>
/// A throw-away dynalite (tests/servers/dynalite/dynalite.mjs: the DynamoDB API in memory) on a free
/// loopback port. Stopped by its own PID only; can be killed and started again on the same port (empty
/// again) to simulate an outage. Counts the requests it serves.
/// </summary>
public sealed class DynaliteServer : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private Process? _process;

    private DynaliteServer(int port) => Port = port;

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public int? ProcessId => _process?.Id;

    public static async Task<DynaliteServer> LaunchAsync()
    {
        var server = new DynaliteServer(FreePort.Next());
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        var directory = await NpmServerDirectory.EnsureInstalledAsync("dynalite", "dynalite");
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { Path.Combine(directory, "dynalite.mjs"), "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith("DYNALITE_LISTENING", StringComparison.Ordinal) == true)
            {
                listening.TrySetResult();
            }
        };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(Readiness.DefaultDeadline));
        if (first != listening.Task)
        {
            await KillAsync();
            throw new InvalidOperationException($"dynalite did not start on port {Port}.");
        }
    }

    /// <summary>Requests served so far, by DynamoDB operation (UpdateItem, GetItem, ...).</summary>
    public async Task<RequestCounts> RequestsAsync()
    {
        var json = await Http.GetStringAsync(new Uri($"{Endpoint}/__requests"));
        using var document = JsonDocument.Parse(json);
        var byOperation = document.RootElement.GetProperty("byOperation").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.Ordinal);
        return new RequestCounts(document.RootElement.GetProperty("total").GetInt32(), byOperation);
    }

    /// <summary>Kills exactly the process this instance started and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await ServerProcesses.KillAsync(process);
        }
    }

    public ValueTask DisposeAsync() => new(KillAsync());
}

public sealed record RequestCounts(int Total, IReadOnlyDictionary<string, int> ByOperation)
{
    public int Of(string operation) => ByOperation.GetValueOrDefault(operation);
}
