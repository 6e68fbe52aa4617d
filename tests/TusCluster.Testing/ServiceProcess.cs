using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace TusCluster.Testing;

/// <summary>
/// The upload service (or another of the project's hosts) as a separate OS process on a free loopback
/// port, for what only a real process shows (signals, exit codes, restarts, kill -9). Stopped by its
/// own PID, never by name.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The process id, e.g. for reading /proc/{id}/task.</summary>
    public int Id => _process.Id;

    public Uri FilesUrl => new(BaseAddress, "/files/");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static ServiceProcess Start(string dataDirectory, params string[] arguments) =>
        Start(dataDirectory, new Dictionary<string, string>(), arguments);

    /// <param name="environment">Extra environment variables of the process (e.g. fault injection).</param>
    public static ServiceProcess Start(string dataDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        StartHost(
            Path.Combine(AppContext.BaseDirectory, "TusCluster.UploadService.dll"),
            environment,
            [$"--Tus:Storage:FileSystem:Root={dataDirectory}/uploads", $"--Tus:Coordination:Embedded:Directory={dataDirectory}/meta", .. arguments]);

    /// <summary>Any of the project's hosts (<paramref name="assemblyPath"/>), listening on a free loopback port.</summary>
    public static ServiceProcess StartHost(string assemblyPath, params string[] arguments) =>
        StartHost(assemblyPath, new Dictionary<string, string>(), arguments);

    /// <inheritdoc cref="StartHost(string, string[])"/>
    public static ServiceProcess StartHost(string assemblyPath, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        foreach (var argument in (string[])[assemblyPath, $"--urls=http://127.0.0.1:{port}", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        return new ServiceProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}/"));
    }

    public async Task WaitUntilReadyAsync()
    {
        await Readiness.WaitAsync(
            $"The service at {BaseAddress}",
            Readiness.HttpProbe(new Uri(BaseAddress, "/readyz")),
            () => _process.HasExited ? $"it exited with {_process.ExitCode}:\n{Output}" : null);

        // A probe answered by another server on this port must not pass for ours (ours failed to bind).
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"The service at {BaseAddress} exited with {_process.ExitCode}:\n{Output}");
        }
    }

    /// <summary>SIGTERM, as Kubernetes sends before it stops a pod.</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>SIGSTOP: the process freezes mid-request, like a long GC pause or a partitioned node.</summary>
    public void Pause() => Signal("STOP");

    /// <summary>SIGCONT: the frozen process carries on as if nothing happened.</summary>
    public void Resume() => Signal("CONT");

    private void Signal(string name) => ServerProcesses.Signal(_process, name);

    /// <summary>SIGKILL: the process dies at once, without releasing anything.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
