[assembly: AssemblyFixture(typeof(TusCluster.Sweeping.Tests.CoordinationServers))]

namespace TusCluster.Sweeping.Tests;

/// <summary>
/// One real server per backend for the whole run, started on first use; each test gets its own key
/// space (prefix), so tests do not see each other's records or expiry index.
/// </summary>
public sealed class CoordinationServers : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private RedisServer? _redis;
    private EtcdServer? _etcd;
    private DynaliteServer? _dynalite;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <summary>Configuration (as key/value pairs) selecting <paramref name="provider"/> in a fresh key space.</summary>
    /// <param name="dataDirectory">Where file-based state (the embedded records) lives.</param>
    /// <param name="keySpace">Distinguishes this test's keys in a shared server.</param>
    public async Task<Dictionary<string, string?>> ConfigurationAsync(string provider, string dataDirectory, string keySpace)
    {
        var settings = new Dictionary<string, string?> { ["Tus:Coordination:Provider"] = provider };
        switch (provider)
        {
            case "Embedded":
                settings["Tus:Coordination:Embedded:Directory"] = Path.Combine(dataDirectory, "meta");
                break;
            case "Redis":
                settings["Tus:Coordination:Redis:Endpoint"] = (await RedisAsync()).Endpoint;
                settings["Tus:Coordination:Redis:KeyPrefix"] = $"sweep-{keySpace}:";
                settings["Tus:Coordination:Redis:LeaseTtl"] = "00:00:02";
                break;
            case "Etcd":
                settings["Tus:Coordination:Etcd:Endpoints:0"] = (await EtcdAsync()).Endpoint;
                settings["Tus:Coordination:Etcd:KeyPrefix"] = $"/sweep-{keySpace}/";
                settings["Tus:Coordination:Etcd:LeaseTtl"] = "00:00:02";
                break;
            case "DynamoDb":
                settings["Tus:Coordination:DynamoDb:ServiceUrl"] = (await DynaliteAsync()).Endpoint;
                settings["Tus:Coordination:DynamoDb:TableName"] = $"sweep-{keySpace}";
                settings["Tus:Coordination:DynamoDb:CreateTable"] = "true";
                settings["Tus:Coordination:DynamoDb:AccessKey"] = "test";
                settings["Tus:Coordination:DynamoDb:SecretKey"] = "test";
                settings["Tus:Coordination:DynamoDb:LeaseTtl"] = "00:00:02";
                break;
            default:
                throw new ArgumentException($"No test server for coordination provider '{provider}'.", nameof(provider));
        }

        return settings;
    }

    private async Task<RedisServer> RedisAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return _redis ??= await RedisServer.StartAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<EtcdServer> EtcdAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return _etcd ??= await EtcdServer.StartAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<DynaliteServer> DynaliteAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return _dynalite ??= await DynaliteServer.LaunchAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_dynalite is not null)
        {
            await _dynalite.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        if (_etcd is not null)
        {
            await _etcd.DisposeAsync();
        }

        _gate.Dispose();
    }
}
