using System.Diagnostics;
using System.Globalization;

namespace TusCluster.Testing;

/// <summary>
/// The FakeGcsServer (tests/TusCluster.FakeGcs: a fake of the GCS JSON API subset the GCS store uses, since
/// no GCS emulator runs here) as a process on a free loopback port, its objects in a directory of its own.
/// Stopped by its own PID only; can be killed and started again on the same port and data, to test an outage.
/// </summary>
public sealed class FakeGcsProcess : IAsyncDisposable
{
    private readonly TemporaryDirectory _data = new();
    private Process? _process;

    private FakeGcsProcess(int port) => Port = port;

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}/";

    public static async Task<FakeGcsProcess> LaunchAsync()
    {
        var server = new FakeGcsProcess(FreePort.Next());
        await server.StartAsync();
        return server;
    }

    /// <summary>Store arguments for upload replicas, with small components so that a few MiB make many objects.</summary>
    public string[] ReplicaArguments(string bucket, string prefix) =>
    [
        "--Tus:Storage:Provider=Gcs",
        $"--Tus:Storage:Gcs:Endpoint={Endpoint}",
        "--Tus:Storage:Gcs:NoAuthentication=true",
        $"--Tus:Storage:Gcs:Bucket={bucket}",
        $"--Tus:Storage:Gcs:ObjectPrefix={prefix}",
        "--Tus:Storage:Gcs:CreateBucket=true",
        "--Tus:Storage:Gcs:ProjectId=tus-tests",
        "--Tus:Storage:Gcs:UploadChunkSize=1048576",
        "--Tus:Storage:Gcs:ComponentSize=1048576",
    ];

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { ProgramPath(), "--port", Port.ToString(CultureInfo.InvariantCulture), "--root", _data.Path },
        };
        var process = _process = ServerProcesses.StartDrained(start, "fake GCS");
        await Readiness.WaitAsync(
            $"fake GCS on port {Port}",
            Readiness.HttpProbe(new Uri($"{Endpoint}storage/v1/b/readiness-probe"), status => status == 404),
            () => process.HasExited ? $"it exited with {process.ExitCode}" : null);
    }

    /// <summary>The size of an object as the fake reports it (its JSON metadata), read past the upload service.</summary>
    public async Task<long> ObjectLengthAsync(string bucket, string name)
    {
        using var http = new HttpClient();
        var json = await http.GetStringAsync(new Uri($"{Endpoint}storage/v1/b/{bucket}/o/{Uri.EscapeDataString(name)}"));
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return long.Parse(document.RootElement.GetProperty("size").GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Waits until some upload to the fake has bytes that are not an object yet (a resumable upload in
    /// progress): a writer's body has reached GCS.
    /// </summary>
    public Task WaitForBytesInFlightAsync() =>
        Eventually.HoldsAsync(
            () => Directory.EnumerateFiles(Path.Combine(_data.Path, "staging")).Any(f => new FileInfo(f).Length > 0),
            "bytes of an unfinished upload reached the fake");

    /// <summary>Kills exactly the process this instance started (SIGKILL, as a crash would); its data stays.</summary>
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
        _data.Dispose();
    }

    /// <summary>The fake's entry assembly, built with the same configuration as the tests that run it.</summary>
    private static string ProgramPath()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Debug";
        var path = Path.Combine(RepositoryPaths.Root, "tests", "TusCluster.FakeGcs", "bin", configuration, "net10.0", "TusCluster.FakeGcs.dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: build tests/TusCluster.FakeGcs first.");
    }
}
