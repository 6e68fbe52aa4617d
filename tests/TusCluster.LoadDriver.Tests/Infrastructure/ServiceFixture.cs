using TusCluster.LoadDriver.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(ServiceFixture))]

namespace TusCluster.LoadDriver.Tests.Infrastructure;

/// <summary>One real upload service for the whole assembly: starting one per test would cost more than the runs.</summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    private TusServiceInstance? _service;

    public TusServiceInstance Service => _service ?? throw new InvalidOperationException("not started");

    public Uri FilesUrl => Service.FilesUrl;

    /// <summary>The same service under another host name, as a second "replica" for --random-endpoint.</summary>
    public Uri FilesUrlViaLocalhost => new UriBuilder(Service.FilesUrl) { Host = "localhost" }.Uri;

    public async ValueTask InitializeAsync() => _service = await TusServiceInstance.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
    }
}
