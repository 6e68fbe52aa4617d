[assembly: AssemblyFixture(typeof(TusCluster.Sweeping.Tests.CoordinationServers))]

namespace TusCluster.Sweeping.Tests;

/// <summary>
/// One real server per backend for the whole run, started on first use; each test gets its own key
/// space (prefix), so tests do not see each other's records or expiry index.
/// </summary>
public sealed class CoordinationServers : IAsyncLifetime
{
    // The backends' own default. With 2 s, a CI run at load average 30 on 2 cores lost a seed's lease before
    // its commit (Redis) and an etcd read ran past its 5 s bound. The tests that wait for a lease to run out
    // (a killed sweeper's leadership) allow 20 s or more; backend calls get a bound such a machine can meet.
    private const string LeaseTtl = "00:00:05";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<Type, IAsyncDisposable> _servers = [];

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
                settings["Tus:Coordination:Redis:Endpoint"] = (await ServerAsync(() => RedisServer.StartAsync())).Endpoint;
                settings["Tus:Coordination:Redis:KeyPrefix"] = $"sweep-{keySpace}:";
                settings["Tus:Coordination:Redis:LeaseTtl"] = LeaseTtl;
                settings["Tus:Coordination:Redis:CommandTimeout"] = "00:00:03";
                break;
            case "Etcd":
                settings["Tus:Coordination:Etcd:Endpoints:0"] = (await ServerAsync(() => EtcdServer.StartAsync())).Endpoint;
                settings["Tus:Coordination:Etcd:KeyPrefix"] = $"/sweep-{keySpace}/";
                settings["Tus:Coordination:Etcd:LeaseTtl"] = LeaseTtl;
                settings["Tus:Coordination:Etcd:RequestTimeout"] = "00:00:10";
                break;
            case "DynamoDb":
                settings["Tus:Coordination:DynamoDb:ServiceUrl"] = (await ServerAsync(DynaliteServer.LaunchAsync)).Endpoint;
                settings["Tus:Coordination:DynamoDb:TableName"] = $"sweep-{keySpace}";
                settings["Tus:Coordination:DynamoDb:CreateTable"] = "true";
                settings["Tus:Coordination:DynamoDb:AccessKey"] = "test";
                settings["Tus:Coordination:DynamoDb:SecretKey"] = "test";
                settings["Tus:Coordination:DynamoDb:LeaseTtl"] = LeaseTtl;
                break;
            case "PostgreSql":
                settings["Tus:Coordination:PostgreSql:ConnectionString"] = (await ServerAsync(PostgresServer.StartAsync)).ConnectionString;
                // A schema of its own: lowercase letters, digits and '_', at most 40 characters.
                settings["Tus:Coordination:PostgreSql:Schema"] = $"sweep_{Guid.NewGuid():N}";
                settings["Tus:Coordination:PostgreSql:CreateSchema"] = "true";
                // A statement's bound must stay below the lease; 3 s tolerates a loaded CI machine.
                settings["Tus:Coordination:PostgreSql:LeaseTtl"] = "00:00:04";
                settings["Tus:Coordination:PostgreSql:RequestTimeout"] = "00:00:03";
                break;
            case "S3":
                var ceph = await ServerAsync(StartCephAsync);
                settings["Tus:Coordination:S3:ServiceUrl"] = ceph.Endpoint;
                settings["Tus:Coordination:S3:Region"] = ceph.Region;
                settings["Tus:Coordination:S3:Bucket"] = "tus-sweep";
                settings["Tus:Coordination:S3:KeyPrefix"] = $"sweep-{keySpace}/";
                settings["Tus:Coordination:S3:ForcePathStyle"] = "true";
                settings["Tus:Coordination:S3:ChecksumCalculation"] = "WhenRequired";
                settings["Tus:Coordination:S3:AccessKey"] = ceph.AccessKey;
                settings["Tus:Coordination:S3:SecretKey"] = ceph.SecretKey;
                settings["Tus:Coordination:S3:CreateBucket"] = "true";
                settings["Tus:Coordination:S3:LeaseTtl"] = LeaseTtl;
                break;
            default:
                throw new ArgumentException($"No test server for coordination provider '{provider}'.", nameof(provider));
        }

        return settings;
    }

    /// <summary>The one server of type <typeparamref name="T"/>, started by <paramref name="start"/> on first use.</summary>
    private async Task<T> ServerAsync<T>(Func<Task<T>> start)
        where T : IAsyncDisposable
    {
        await _gate.WaitAsync();
        try
        {
            if (!_servers.TryGetValue(typeof(T), out var server))
            {
                _servers[typeof(T)] = server = await start();
            }

            return (T)server;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task<CephRgw> StartCephAsync()
    {
        var ceph = new CephRgw();
        await ceph.InitializeAsync();
        return ceph;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers.Values)
        {
            await server.DisposeAsync();
        }

        _gate.Dispose();
    }
}
