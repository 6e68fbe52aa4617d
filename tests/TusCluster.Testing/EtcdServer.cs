using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TusCluster.Testing;

/// <summary>
/// One throw-away etcd process on free loopback ports with its own data directory. Stopped by its
/// PID (never by name) and its directory deleted on dispose. Can be killed and started again on the
/// same directory and port.
/// </summary>
public sealed class EtcdServer : IAsyncDisposable
{
    private static readonly HttpClient Gateway = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly string[] _extraArguments;
    private Process? _process;

    private EtcdServer(string[] extraArguments)
    {
        _extraArguments = extraArguments;
        Directory.CreateDirectory(Root);
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"tuscluster-etcd-tests-{Guid.NewGuid():N}");

    public int ClientPort { get; } = FreePort.Next();

    public int PeerPort { get; } = FreePort.Next();

    public string Endpoint => $"http://127.0.0.1:{ClientPort}";

    public static string Executable => File.Exists("/usr/bin/etcd") ? "/usr/bin/etcd" : "etcd";

    /// <summary>Starts a new etcd; a free port taken by another test's server meanwhile means new ports and another try.</summary>
    public static async Task<EtcdServer> StartAsync(params string[] extraArguments)
    {
        for (var attempt = 1; ; attempt++)
        {
            var server = new EtcdServer(extraArguments);
            try
            {
                await server.StartProcessAsync();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Starts etcd (again) on the same data directory and ports and waits until it answers.</summary>
    public async Task StartProcessAsync()
    {
        var start = new ProcessStartInfo(Executable);
        foreach (var argument in new[]
        {
            "--name", "default",
            "--data-dir", Path.Combine(Root, "data"),
            "--listen-client-urls", Endpoint,
            "--advertise-client-urls", Endpoint,
            "--listen-peer-urls", $"http://127.0.0.1:{PeerPort}",
            "--initial-advertise-peer-urls", $"http://127.0.0.1:{PeerPort}",
            "--initial-cluster", $"default=http://127.0.0.1:{PeerPort}",
            "--log-level", "error",
        }.Concat(_extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        var process = _process = ServerProcesses.StartDrained(start, "etcd");

        await Readiness.WaitAsync(
            $"etcd on port {ClientPort}",
            Readiness.HttpProbe(new Uri($"{Endpoint}/v3/maintenance/status"), status => status is 200 or 400 or 401, HttpMethod.Post),
            () => process.HasExited ? $"it exited with {process.ExitCode}" : null);

        // Another test's etcd may hold the port (free ports are picked, then bound): ours then exits at once on
        // the failed bind, and the answer was not its own.
        await Task.Delay(300);
        if (process.HasExited)
        {
            throw new InvalidOperationException($"etcd exited with {process.ExitCode} right after start: its port was taken.");
        }
    }

    /// <summary>Kills exactly this etcd process (SIGKILL) and waits for it to exit.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await ServerProcesses.KillAsync(process);
        }
    }

    /// <summary>Freezes exactly this etcd process (SIGSTOP): it keeps its connections open but answers nothing.</summary>
    public Task PauseAsync() => SignalAsync("-STOP");

    /// <summary>Lets the frozen process go on (SIGCONT); it then reads what was sent to it meanwhile.</summary>
    public Task ResumeAsync() => SignalAsync("-CONT");

    private async Task SignalAsync(string signal)
    {
        var pid = _process?.Id ?? throw new InvalidOperationException("etcd is not running.");
        using var kill = Process.Start(new ProcessStartInfo("kill", [signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("kill did not start.");
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {pid} exited with {kill.ExitCode}.");
        }
    }

    /// <summary>Runs a raw gateway request (test set-up such as enabling auth).</summary>
    public async Task<string> PostAsync(string path, string json, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Endpoint + path)) { Content = new StringContent(json) };
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", token);
        }

        using var response = await Gateway.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {body}");
        }

        return body;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone.
        }
    }
}
