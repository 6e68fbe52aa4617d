[assembly: AssemblyFixture(typeof(TusCluster.Coordination.Etcd.Tests.SharedEtcd))]

namespace TusCluster.Coordination.Etcd.Tests;

/// <summary>One etcd for every test that does not stop or reconfigure it; each test uses its own key prefix.</summary>
public sealed class SharedEtcd : IAsyncLifetime
{
    private EtcdServer? _server;

    internal EtcdServer Server => _server ?? throw new InvalidOperationException("etcd is not started.");

    public string Endpoint => Server.Endpoint;

    public async ValueTask InitializeAsync() => _server = await EtcdServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
