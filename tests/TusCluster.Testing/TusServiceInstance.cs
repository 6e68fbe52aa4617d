using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using TusCluster.UploadService.Hosting;

namespace TusCluster.Testing;

/// <summary>
/// The real upload service on a free loopback port (real Kestrel, real sockets), with its own data
/// directory. Extra arguments are configuration, exactly as on the command line.
/// </summary>
public sealed class TusServiceInstance : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TusServiceInstance(WebApplication app, string dataDirectory, Uri baseAddress)
    {
        _app = app;
        DataDirectory = dataDirectory;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public string DataDirectory { get; }

    public Uri BaseAddress { get; }

    /// <summary>The uploads collection, e.g. http://127.0.0.1:41234/files/.</summary>
    public Uri FilesUrl => new(BaseAddress, "/files/");

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<TusServiceInstance> StartAsync(string[]? arguments = null, Action<IServiceCollection>? configureServices = null)
    {
        var data = Path.Combine(Path.GetTempPath(), "tus-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--Tus:Storage:FileSystem:Root={data}/uploads",
            $"--Tus:Coordination:Embedded:Directory={data}/meta",
            "--Logging:LogLevel:Default=Warning",

            // Instances may share one Redis or etcd server (TUS_TEST_BACKEND_ARGS); their own key space
            // keeps one test's records and expiry index out of another's. The embedded backend ignores these.
            $"--Tus:Coordination:Redis:KeyPrefix=test-{Path.GetFileName(data)}:",
            $"--Tus:Coordination:Etcd:KeyPrefix=/test-{Path.GetFileName(data)}/",
            $"--Tus:Coordination:DynamoDb:TableName=test-{Path.GetFileName(data)}",
            $"--Tus:Coordination:S3:KeyPrefix=test-{Path.GetFileName(data)}/",
            $"--Tus:Coordination:PostgreSql:Schema=t_{Path.GetFileName(data)["tus-test-".Length..]}",
            .. BackendArguments.FromEnvironment(),
            .. arguments ?? [],
        ];
        var app = UploadServiceHost.Build(args, configureServices);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TusServiceInstance(app, data, new Uri(address));
    }

    /// <summary>Waits until a PATCH holding the upload's lease has staged bytes (its lease is then surely held).</summary>
    public Task WaitForStagedChunkAsync(Uri upload)
    {
        var directory = Path.Combine(DataDirectory, "uploads", upload.Segments[^1]);
        return Eventually.HoldsAsync(() => Directory.EnumerateFiles(directory, "*.chunk").Any(), $"a chunk of {upload} to be staged");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
