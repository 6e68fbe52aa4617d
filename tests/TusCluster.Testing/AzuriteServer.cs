using System.Diagnostics;
using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace TusCluster.Testing;

/// <summary>
/// A throw-away azurite blob service (tests/servers/azurite, Microsoft's Azure Storage emulator) on a free
/// loopback port, in memory or in a temporary directory. Stopped by its own PID only. Usable as a test
/// fixture (in memory) or started with <see cref="StartAsync(bool)"/>.
/// </summary>
public sealed class AzuriteServer : IAsyncLifetime
{
    /// <summary>Azurite's well-known development account (public, documented by Microsoft).</summary>
    public const string AccountName = "devstoreaccount1";

    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly TemporaryDirectory? _location;
    private Process? _process;

    public AzuriteServer()
        : this(FreePort.Next(), inMemory: true)
    {
    }

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
            await server.InitializeAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask InitializeAsync()
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

    /// <summary>Arguments that make an upload service store in <paramref name="container"/> (created) under <paramref name="prefix"/>.</summary>
    public string[] ReplicaArguments(string container, string prefix, int blockSize) =>
    [
        "--Tus:Storage:Provider=Azure",
        $"--Tus:Storage:Azure:ConnectionString={ConnectionString}",
        $"--Tus:Storage:Azure:Container={container}",
        $"--Tus:Storage:Azure:BlobPrefix={prefix}",
        $"--Tus:Storage:Azure:BlockSize={blockSize.ToString(CultureInfo.InvariantCulture)}",
        "--Tus:Storage:Azure:CreateContainer=true",
    ];

    /// <summary>The committed length of a blob; null when it does not exist.</summary>
    public async Task<long?> BlobLengthAsync(string container, string name)
    {
        var blob = new BlobContainerClient(ConnectionString, container).GetBlobClient(name);
        try
        {
            return (await blob.GetPropertiesAsync()).Value.ContentLength;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Names of the blobs under <paramref name="prefix"/>, uncommitted ones (only staged blocks) included.</summary>
    public async Task<List<string>> BlobNamesAsync(string container, string prefix)
    {
        var names = new List<string>();
        await foreach (var blob in new BlobContainerClient(ConnectionString, container).GetBlobsAsync(new GetBlobsOptions { Prefix = prefix, States = BlobStates.Uncommitted }))
        {
            names.Add(blob.Name);
        }

        return names;
    }

    /// <summary>Blocks staged on a blob and not committed (yet).</summary>
    public async Task<int> UncommittedBlockCountAsync(string container, string name)
    {
        var blob = new BlobContainerClient(ConnectionString, container).GetBlockBlobClient(name);
        try
        {
            return (await blob.GetBlockListAsync(BlockListTypes.Uncommitted)).Value.UncommittedBlocks.Count();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return 0;
        }
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
