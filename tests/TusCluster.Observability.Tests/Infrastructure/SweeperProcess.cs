using System.Diagnostics;
using System.Net;
using System.Text;
using TusCluster.UploadService.Tests.Infrastructure;

namespace TusCluster.Observability.Tests.Infrastructure;

/// <summary>
/// The sweeper host as a separate process, run from its own build output (next to this test's
/// configuration), on a free loopback port. Stopped by its PID.
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

    /// <summary>Where the sweeper was built: the same configuration and framework folders as this test.</summary>
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

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

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
