using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TusCluster.Backends;
using TusCluster.Protocol;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;
using TusCluster.Sweeping;

namespace TusCluster.SweeperBench;

/// <summary>One backend, one population of live uploads: seeds it, then times passes over a fresh set of expired uploads.</summary>
internal sealed class SweepBench : IAsyncDisposable
{
    private const int ExpiredBytes = 1024;
    private readonly ServiceProvider _services;
    private readonly string _data;

    public SweepBench(string provider, string? redisEndpoint, string? etcdEndpoint)
    {
        _data = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "tus-sweeper-bench-" + Guid.NewGuid().ToString("N"))).FullName;
        var prefix = Path.GetFileName(_data);
        var settings = new Dictionary<string, string?>
        {
            ["Tus:Coordination:Provider"] = provider,
            ["Tus:Coordination:Embedded:Directory"] = Path.Combine(_data, "meta"),
            ["Tus:Coordination:Redis:Endpoint"] = redisEndpoint,
            ["Tus:Coordination:Redis:KeyPrefix"] = prefix + ":",
            ["Tus:Coordination:Etcd:Endpoints:0"] = etcdEndpoint,
            ["Tus:Coordination:Etcd:KeyPrefix"] = "/" + prefix + "/",
            ["Tus:Storage:Provider"] = "FileSystem",
            ["Tus:Storage:FileSystem:Root"] = Path.Combine(_data, "uploads"),
            ["Tus:Sweeper:MaxDeletionsPerSecond"] = "0",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
        services.AddSingleton<IConfiguration>(configuration);
        services.AddTusProtocol(configuration);
        BackendSelection.AddBackends(services, configuration);
        services.AddSweeperServices(configuration);
        _services = services.BuildServiceProvider();
    }

    private IUploadCoordination Coordination => _services.GetRequiredService<IUploadCoordination>();

    private IUploadStore Store => _services.GetRequiredService<IUploadStore>();

    /// <summary>Records only: live uploads cost the index an entry each, their bytes do not matter to a pass.</summary>
    public async Task<TimeSpan> SeedLiveAsync(int count)
    {
        var expires = DateTimeOffset.UtcNow.AddDays(1);
        var watch = Stopwatch.StartNew();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            var record = new UploadRecord { Id = UploadId.New(), Length = 1_000_000, Offset = 4096, CreatedAt = DateTimeOffset.UtcNow, ExpiresAt = expires.AddMilliseconds(i) };
            await using var lease = await Coordination.AcquireAsync(record.Id, TimeSpan.FromSeconds(10), ct);
            await lease.CommitAsync(record, ct);
        });
        return watch.Elapsed;
    }

    /// <summary>Expired uploads with real bytes in the store, so the pass deletes files too.</summary>
    public async Task SeedExpiredAsync(int count)
    {
        var expired = DateTimeOffset.UtcNow.AddMinutes(-10);
        var bytes = new byte[ExpiredBytes];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            var record = new UploadRecord { Id = UploadId.New(), Length = 1_000_000, CreatedAt = DateTimeOffset.UtcNow, ExpiresAt = expired.AddMilliseconds(i) };
            await using var lease = await Coordination.AcquireAsync(record.Id, TimeSpan.FromSeconds(10), ct);
            record = record with { StoreState = await Store.CreateAsync(record, ct) };
            using var body = new MemoryStream(bytes);
            var staged = await Store.StageAsync(record, lease, body, ct);
            var committed = await lease.CommitAsync(record with { Offset = staged.Length, StoreState = staged.StoreState }, ct);
            await Store.SettleAsync(committed, ct);
        });
    }

    public Task<SweepReport> PassAsync() => _services.GetRequiredService<SweepPass>().RunAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}
