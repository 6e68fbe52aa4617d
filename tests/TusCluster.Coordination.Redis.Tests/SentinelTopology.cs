using System.Diagnostics;
using System.Globalization;

namespace TusCluster.Coordination.Redis.Tests;

/// <summary>
/// One primary, one replica (replicaof) and one redis-sentinel (quorum 1, short timeouts) on free
/// loopback ports, with the sentinel's writable config in a temp dir. Every process is stopped by the
/// PID this fixture started.
/// </summary>
internal sealed class SentinelTopology : IAsyncDisposable
{
    public const string ServiceName = "tusprimary";
    private const string SentinelExecutable = "/usr/bin/redis-sentinel";
    private readonly string _directory;
    private readonly List<RedisServer> _servers = [];
    private Process? _sentinel;

    private SentinelTopology(string directory, RedisServer primary, ReplicationLink link, RedisServer replica, int sentinelPort)
    {
        _directory = directory;
        Primary = primary;
        Link = link;
        Replica = replica;
        SentinelPort = sentinelPort;
        _servers.AddRange([primary, replica]);
    }

    public RedisServer Primary { get; }

    /// <summary>The replica replicates through this link, which a test can hold.</summary>
    public ReplicationLink Link { get; }

    public RedisServer Replica { get; }

    public int SentinelPort { get; }

    /// <summary>What a replica puts into <c>Tus:Coordination:Redis:Configuration</c>.</summary>
    public string Configuration => $"127.0.0.1:{SentinelPort},serviceName={ServiceName}";

    public static async Task<SentinelTopology> StartAsync()
    {
        if (!File.Exists(SentinelExecutable))
        {
            throw new InvalidOperationException($"{SentinelExecutable} is missing: apt-get install redis-sentinel (tests/servers/install.sh).");
        }

        var directory = Path.Combine(Path.GetTempPath(), $"tuscluster-sentinel-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var primary = await RedisServer.StartAsync();
        var link = new ReplicationLink(primary.Port);
        var replica = await RedisServer.StartAsync(extraArguments: ReplicaOf(link.Port));
        var topology = new SentinelTopology(directory, primary, link, replica, FreePort.Next());
        try
        {
            await topology.StartSentinelAsync();
            await topology.WaitUntilAsync(async () => await topology.SentinelAsync("SENTINEL", "REPLICAS", ServiceName) is var replicas && replicas.Contains($"{replica.Port}", StringComparison.Ordinal), "the sentinel to see the replica");
            await topology.WaitUntilAsync(async () => (await CliAsync(replica.Port, "INFO", "replication")).Contains("master_link_status:up", StringComparison.Ordinal), "the replica to sync");
        }
        catch
        {
            await topology.DisposeAsync();
            throw;
        }

        return topology;
    }

    private static string[] ReplicaOf(int port) => ["--replicaof", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture)];

    /// <summary>The port of the primary the sentinel currently names.</summary>
    public async Task<int?> PrimaryPortAsync()
    {
        var lines = (await SentinelAsync("SENTINEL", "GET-MASTER-ADDR-BY-NAME", ServiceName)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 2 && int.TryParse(lines[1], CultureInfo.InvariantCulture, out var port) ? port : null;
    }

    /// <summary>Starts one more server as a replica of <paramref name="primary"/>; disposed with the topology.</summary>
    public async Task<RedisServer> AddReplicaAsync(RedisServer primary)
    {
        var replica = await RedisServer.StartAsync(extraArguments: ReplicaOf(primary.Port));
        _servers.Add(replica);
        return replica;
    }

    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited in vain for {what}.");
            }

            await Task.Delay(100);
        }
    }

    private async Task StartSentinelAsync()
    {
        var config = Path.Combine(_directory, "sentinel.conf");
        await File.WriteAllTextAsync(config, string.Join('\n',
            $"port {SentinelPort}",
            "bind 127.0.0.1",
            $"dir {_directory}",
            $"sentinel monitor {ServiceName} 127.0.0.1 {Primary.Port} 1",
            $"sentinel down-after-milliseconds {ServiceName} 1000",
            $"sentinel failover-timeout {ServiceName} 4000",
            $"sentinel parallel-syncs {ServiceName} 1",
            string.Empty));
        var start = new ProcessStartInfo(SentinelExecutable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(config);
        _sentinel = Process.Start(start) ?? throw new InvalidOperationException("redis-sentinel did not start.");
        _sentinel.OutputDataReceived += (_, _) => { };
        _sentinel.ErrorDataReceived += (_, _) => { };
        _sentinel.BeginOutputReadLine();
        _sentinel.BeginErrorReadLine();
        await WaitUntilAsync(async () => !_sentinel.HasExited && (await SentinelAsync("PING")).Contains("PONG", StringComparison.Ordinal), "the sentinel to answer PING");
    }

    private Task<string> SentinelAsync(params string[] command) => CliAsync(SentinelPort, command);

    /// <summary>redis-cli, independent of the client under test.</summary>
    private static async Task<string> CliAsync(int port, params string[] command)
    {
        var start = new ProcessStartInfo("/usr/bin/redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), .. command])
        {
            start.ArgumentList.Add(argument);
        }

        using var cli = Process.Start(start) ?? throw new InvalidOperationException("redis-cli did not start.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var output = cli.StandardOutput.ReadToEndAsync(timeout.Token);
        _ = cli.StandardError.ReadToEndAsync(timeout.Token);
        await cli.WaitForExitAsync(timeout.Token);
        return await output;
    }

    public async ValueTask DisposeAsync()
    {
        if (_sentinel is { } sentinel)
        {
            _sentinel = null;
            if (!sentinel.HasExited)
            {
                sentinel.Kill();
            }

            await sentinel.WaitForExitAsync();
            sentinel.Dispose();
        }

        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        await Link.DisposeAsync();

        Directory.Delete(_directory, recursive: true);
    }
}
