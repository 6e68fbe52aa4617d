using System.Diagnostics;
using RabbitMQ.Client;

namespace TusCluster.Testing;

/// <summary>
/// A throw-away rabbitmq-server node (Debian's package) on free loopback ports with everything (node data, logs,
/// config, Erlang cookie) in its own directory, and its own epmd: the node registers with an epmd this instance
/// started on a private port (ERL_EPMD_PORT), so a shared or packaged epmd/rabbitmq on the machine is never used,
/// and both processes are stopped by their own PIDs. The packaged service is not involved.
/// </summary>
public sealed class RabbitMqServer : IAsyncDisposable
{
    private const string Script = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private const string Epmd = "/usr/bin/epmd";
    private static readonly TimeSpan GracefulStopLimit = TimeSpan.FromSeconds(60);

    private readonly string _nodeName = $"tus{Guid.NewGuid():N}@localhost";
    private Process? _epmd;
    private Process? _node;

    private RabbitMqServer()
    {
        foreach (var directory in new[] { "mnesia", "log", "home" })
        {
            Directory.CreateDirectory(Path.Combine(Root, directory));
        }

        // Empty files keep the node away from /etc/rabbitmq (the package's env file, config and plugin list).
        File.WriteAllText(Path.Combine(Root, "rabbitmq-env.conf"), string.Empty);
        File.WriteAllText(Path.Combine(Root, "rabbitmq.conf"), "loopback_users = none\n");
        File.WriteAllText(Path.Combine(Root, "enabled_plugins"), "[].\n");
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"tuscluster-rabbitmq-{Guid.NewGuid():N}");

    public int Port { get; } = FreePort.Next();

    public int DistributionPort { get; } = FreePort.Next();

    public int EpmdPort { get; } = FreePort.Next();

    /// <summary>The default vhost as the default user (guest), over plain AMQP.</summary>
    public Uri AmqpUri => new($"amqp://guest:guest@127.0.0.1:{Port}/");

    public string LogFile => Path.Combine(Root, "log", _nodeName + ".log");

    /// <summary>Starts a new node; ports taken by another test's server meanwhile mean new ports and another try.</summary>
    public static async Task<RabbitMqServer> StartAsync()
    {
        if (!File.Exists(Script))
        {
            throw new InvalidOperationException($"{Script} is missing: apt-get install rabbitmq-server (tests/servers/install.sh).");
        }

        for (var attempt = 1; ; attempt++)
        {
            var server = new RabbitMqServer();
            try
            {
                await server.StartAsync(deadline: null);
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Starts the node (again, after <see cref="StopAsync"/> or <see cref="KillAsync"/>) on the same ports and data and waits for an AMQP connection to succeed.</summary>
    public async Task StartAsync(TimeSpan? deadline = null)
    {
        if (_node is not null)
        {
            throw new InvalidOperationException("The node is running already.");
        }

        _epmd ??= StartEpmd();
        var start = new ProcessStartInfo(Script) { WorkingDirectory = Root };
        foreach (var (name, value) in Environment())
        {
            start.Environment[name] = value;
        }

        var node = _node = ServerProcesses.StartDrained(start, "rabbitmq-server");
        var epmd = _epmd;
        await Readiness.WaitAsync(
            $"rabbitmq-server on port {Port}",
            ConnectsAsync,
            () => node.HasExited ? $"it exited with {node.ExitCode}; log: {LogTail()}"
                : epmd.HasExited ? $"its epmd exited with {epmd.ExitCode}" : null,
            deadline);
    }

    /// <summary>SIGTERM to the node (a clean broker shutdown: connections are closed by the server) and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        if (_node is not { } node)
        {
            return;
        }

        _node = null;
        await ServerProcesses.TerminateAsync(node, GracefulStopLimit);
    }

    /// <summary>SIGSTOP to the node: it keeps its connections open but answers nothing, like a hung broker.</summary>
    public void Pause() => ServerProcesses.Signal(_node ?? throw new InvalidOperationException("The node is not running."), "STOP");

    /// <summary>SIGCONT: the paused node carries on.</summary>
    public void Resume() => ServerProcesses.Signal(_node ?? throw new InvalidOperationException("The node is not running."), "CONT");

    /// <summary>SIGKILL to the node and its helpers (a crash: connections just drop) and waits until they are gone.</summary>
    public async Task KillAsync()
    {
        if (_node is { } node)
        {
            _node = null;
            await ServerProcesses.KillAsync(node);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        if (_epmd is { } epmd)
        {
            _epmd = null;
            await ServerProcesses.KillAsync(epmd);
        }

        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    private Process StartEpmd()
    {
        var start = new ProcessStartInfo(Epmd);
        foreach (var argument in new[] { "-port", Invariant(EpmdPort), "-address", "127.0.0.1" })
        {
            start.ArgumentList.Add(argument);
        }

        return ServerProcesses.StartDrained(start, "epmd");
    }

    private IEnumerable<(string Name, string Value)> Environment()
    {
        yield return ("HOME", Path.Combine(Root, "home")); // the Erlang cookie is written here
        yield return ("ERL_EPMD_PORT", Invariant(EpmdPort));
        yield return ("RABBITMQ_CONF_ENV_FILE", Path.Combine(Root, "rabbitmq-env.conf"));
        yield return ("RABBITMQ_CONFIG_FILE", Path.Combine(Root, "rabbitmq.conf"));
        yield return ("RABBITMQ_ADVANCED_CONFIG_FILE", Path.Combine(Root, "advanced.config"));
        yield return ("RABBITMQ_ENABLED_PLUGINS_FILE", Path.Combine(Root, "enabled_plugins"));
        yield return ("RABBITMQ_NODENAME", _nodeName);
        yield return ("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
        yield return ("RABBITMQ_NODE_PORT", Invariant(Port));
        yield return ("RABBITMQ_DIST_PORT", Invariant(DistributionPort));
        yield return ("RABBITMQ_MNESIA_BASE", Path.Combine(Root, "mnesia"));
        yield return ("RABBITMQ_LOG_BASE", Path.Combine(Root, "log"));
        yield return ("RABBITMQ_PID_FILE", Path.Combine(Root, "node.pid"));

        // The script then execs erl instead of running it as a background job behind a signal-trapping shell, so
        // the process started here IS beam.smp: its PID is the node's, and SIGTERM reaches it directly.
        yield return ("detached", "true");
    }

    private async Task<bool> ConnectsAsync(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = AmqpUri,
            AutomaticRecoveryEnabled = false,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(2),
        };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        return connection.IsOpen;
    }

    private string LogTail()
    {
        try
        {
            var lines = File.ReadAllLines(LogFile);
            return string.Join('\n', lines.TakeLast(20));
        }
        catch (IOException e)
        {
            return $"(no log: {e.Message})";
        }
    }

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
