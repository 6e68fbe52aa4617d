using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using TusCluster.UploadService.Hosting;

namespace TusCluster.LoadDriver.Tests.Infrastructure;

/// <summary>
/// The real upload service on a free loopback port (real Kestrel, real sockets), with its own data
/// directory. Mirrors TusServiceInstance in TusCluster.UploadService.Tests (test projects do not
/// reference each other), so the driver is tested against exactly what that suite tests.
/// </summary>
public sealed class TusServiceInstance : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TusServiceInstance(WebApplication app, string dataDirectory, Uri baseAddress)
    {
        _app = app;
        DataDirectory = dataDirectory;
        BaseAddress = baseAddress;
    }

    public string DataDirectory { get; }

    public Uri BaseAddress { get; }

    /// <summary>The uploads collection, e.g. http://127.0.0.1:41234/files/.</summary>
    public Uri FilesUrl => new(BaseAddress, "/files/");

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
            .. BackendArguments.FromEnvironment(),
            .. arguments ?? [],
        ];
        var app = UploadServiceHost.Build(args, configureServices);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TusServiceInstance(app, data, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
