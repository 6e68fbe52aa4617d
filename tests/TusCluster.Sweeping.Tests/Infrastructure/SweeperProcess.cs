using System.Diagnostics;
using System.Net;
using System.Text;
using TusCluster.UploadService.Tests.Infrastructure;

namespace TusCluster.Sweeping.Tests.Infrastructure;

/// <summary>
/// The sweeper host as a separate OS process on a free loopback port, for what only a real process
/// shows (kill -9 mid-pass, fail-over between processes). Stopped by its own PID, never by name.
/// </summary>
internal sealed class SweeperProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SweeperProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

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

    public bool IsLeader => Output.Contains("became the leader", StringComparison.Ordinal);

    /// <summary>
    /// The sweeper's own build output: its appsettings.json would clash with the upload service's in a
    /// test project that copies both into one folder.
    /// </summary>
    public static string AssemblyPath
    {
        get
        {
            var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return Path.Combine(RepositoryPaths.Root, "services", "TusCluster.Sweeper", "bin", framework.Parent!.Name, framework.Name, "TusCluster.Sweeper.dll");
        }
    }

    public static SweeperProcess Start(params string[] arguments)
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[AssemblyPath, $"--urls=http://127.0.0.1:{port}", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        return new SweeperProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}/"));
    }

    public async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The sweeper exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(BaseAddress, "/readyz"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The sweeper did not become ready:\n{Output}");
    }

    /// <summary>SIGKILL: the process dies at once, mid-pass, without releasing anything.</summary>
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
