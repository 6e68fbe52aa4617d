using System.Diagnostics;
using System.Globalization;

namespace TusCluster.Testing;

/// <summary>
/// A throw-away azurite blob service (tests/servers/azurite, Microsoft's Azure Storage emulator) on a free
/// loopback port, in memory or in a temporary directory. Stopped by its own PID only.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account (public, documented by Microsoft).</summary>
    public const string AccountName = "devstoreaccount1";

    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly TemporaryDirectory? _location;
    private Process? _process;

    private AzuriteServer(int port, bool inMemory)
    {
        Port = port;
        _location = inMemory ? null : new TemporaryDirectory();
    }

    public int Port { get; }

    public int? ProcessId => _process?.Id;

    public string BlobEndpoint => $"http://127.0.0.1:{Port}/{AccountName}";

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={BlobEndpoint};";

    /// <param name="inMemory">Keep blobs in memory (small tests); false keeps them in a temporary directory (large uploads).</param>
    public static async Task<AzuriteServer> StartAsync(bool inMemory = true)
    {
        var server = new AzuriteServer(FreePort.Next(), inMemory);
        try
        {
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        var directory = await NpmServerDirectory.EnsureInstalledAsync("azurite", "azurite");
        var start = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                Path.Combine(directory, "node_modules", "azurite", "dist", "src", "blob", "main.js"),
                "--blobHost", "127.0.0.1",
                "--blobPort", Port.ToString(CultureInfo.InvariantCulture),
                "--skipApiVersionCheck",
                "--disableTelemetry",
                "--silent",
            },
            WorkingDirectory = directory,
        };
        if (_location is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(_location.Path);
        }

        var process = _process = ServerProcesses.StartDrained(start, "azurite");
        await Readiness.WaitAsync(
            $"azurite on port {Port}",
            async cancellationToken =>
            {
                // Any answer (403 without a signature) means it listens.
                using var response = await Http.GetAsync(new Uri($"{BlobEndpoint}?comp=list"), cancellationToken);
                return true;
            },
            () => process.HasExited ? $"it exited with {process.ExitCode}" : null);
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

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _location?.Dispose();
    }
}
