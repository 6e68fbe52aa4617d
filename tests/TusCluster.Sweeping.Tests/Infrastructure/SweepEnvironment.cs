using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TusCluster.Backends;
using TusCluster.Protocol;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Sweeping.Tests;

/// <summary>
/// A sweeper wired exactly as the hosts wire it (BackendSelection), on one coordination backend and a
/// file store in a temporary directory, with a clock the test moves. Uploads are seeded through the
/// coordination and store contracts, as the engine writes them.
/// </summary>
internal sealed class SweepEnvironment : IAsyncDisposable
{
    private readonly List<ServiceProvider> _instances = [];

    private SweepEnvironment(string provider, Dictionary<string, string?> settings, string dataDirectory)
    {
        Provider = provider;
        Settings = settings;
        DataDirectory = dataDirectory;
        Services = NewInstance();
    }

    public string Provider { get; }

    /// <summary>The configuration of this environment, as command-line style key/value pairs.</summary>
    public Dictionary<string, string?> Settings { get; }

    public string DataDirectory { get; }

    public string UploadsRoot => Path.Combine(DataDirectory, "uploads");

    public ManualTimeProvider Clock { get; } = new();

    public ServiceProvider Services { get; }

    public IUploadCoordination Coordination => Services.GetRequiredService<IUploadCoordination>();

    public IUploadStore Store => Services.GetRequiredService<IUploadStore>();

    public SweepPass Pass => Services.GetRequiredService<SweepPass>();

    public static async Task<SweepEnvironment> CreateAsync(CoordinationServers servers, string provider, params (string Key, string? Value)[] settings)
    {
        var data = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "tus-sweep-" + Guid.NewGuid().ToString("N"))).FullName;
        var all = await servers.ConfigurationAsync(provider, data, Path.GetFileName(data));
        all["Tus:Storage:Provider"] = "FileSystem";
        all["Tus:Storage:FileSystem:Root"] = Path.Combine(data, "uploads");
        all["Tus:Expiration"] = "01:00:00";
        all["Tus:LockAcquireTimeout"] = "00:00:02";
        all["Tus:Sweeper:MaxDeletionsPerSecond"] = "0";
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return new SweepEnvironment(provider, all, data);
    }

    /// <summary>
    /// Another sweeper instance ("replica") on the same backend and store. The embedded backend lives in
    /// one process, so instances share its one coordination object, as they would share the process.
    /// </summary>
    public ServiceProvider NewInstance(params (string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>(Settings);
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddTusProtocol(configuration);
        BackendSelection.AddBackends(services, configuration);
        services.AddSweeperServices(configuration);
        services.AddSingleton<TimeProvider>(Clock);
        if (Provider == "Embedded" && _instances.Count > 0)
        {
            services.AddSingleton(_instances[0].GetRequiredService<IUploadCoordination>());
        }

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        _instances.Add(provider);
        return provider;
    }

    public string[] Arguments() => [.. Settings.Select(s => $"--{s.Key}={s.Value}")];

    /// <summary>
    /// Seeds an upload with <paramref name="bytes"/> committed bytes, expiring at <paramref name="expiresAt"/>; with
    /// <paramref name="complete"/>, an active one whose length is those bytes (its writer stopped before finishing it).
    /// </summary>
    public async Task<UploadRecord> SeedAsync(int bytes, DateTimeOffset? expiresAt, UploadStatus status = UploadStatus.Active, bool complete = false)
    {
        var record = new UploadRecord
        {
            Id = UploadId.New(),
            Length = status == UploadStatus.Finished || complete ? bytes : bytes + 100,
            CreatedAt = Clock.GetUtcNow(),
            ExpiresAt = expiresAt,
        };
        var ct = TestContext.Current.CancellationToken;
        await using var lease = await Coordination.AcquireAsync(record.Id, TimeSpan.FromSeconds(5), ct);
        record = record with { StoreState = await Store.CreateAsync(record, ct) };
        if (bytes > 0)
        {
            using var body = new MemoryStream(Enumerable.Range(0, bytes).Select(i => (byte)i).ToArray());
            var staged = await Store.StageAsync(record, lease, body, ct);
            record = record with { Offset = staged.Length, StoreState = staged.StoreState };
            record = await lease.CommitAsync(record, ct);
            await Store.SettleAsync(record, ct);
        }

        if (status == UploadStatus.Finished)
        {
            record = record with { StoreState = await Store.CompleteAsync(record, ct) };
        }

        return await lease.CommitAsync(record with { Status = status }, ct);
    }

    public bool HasBytes(string uploadId) => Directory.Exists(Path.Combine(UploadsRoot, uploadId));

    /// <summary>Upload directories in the store that no record refers to: what a crash must never leave.</summary>
    public async Task<List<string>> OrphansAsync()
    {
        var orphans = new List<string>();
        if (!Directory.Exists(UploadsRoot))
        {
            return orphans;
        }

        foreach (var directory in Directory.EnumerateDirectories(UploadsRoot))
        {
            var id = Path.GetFileName(directory);
            if (await Coordination.GetAsync(id, CancellationToken.None) is not { Status: UploadStatus.Active or UploadStatus.Finished })
            {
                orphans.Add(id);
            }
        }

        return orphans;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _instances.Count - 1; i >= 0; i--)
        {
            await _instances[i].DisposeAsync();
        }

        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
