using System.Diagnostics;
using System.Globalization;

namespace TusCluster.Testing;

/// <summary>
/// A throw-away PostgreSQL (Debian's package: its binaries are under /usr/lib/postgresql/&lt;version&gt;/bin, not on
/// PATH) with its own data directory, initialised by initdb with trust authentication, listening on a free loopback
/// port and a private socket directory. PostgreSQL refuses to run as root, so under root (CI) initdb and postgres run
/// as the package's <c>postgres</c> user through setpriv, which execs: the PID held is postgres's own. Stopped by that
/// PID only; can be killed (a crash) or stopped (fast shutdown) and started again on the same data and port.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly TemporaryDirectory _root = new();
    private Process? _process;

    private PostgresServer()
    {
    }

    public int Port { get; } = FreePort.Next();

    /// <summary>An Npgsql connection string for the superuser on the default database.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres";

    private string DataDirectory => Path.Combine(_root.Path, "data");

    private string SocketDirectory => Path.Combine(_root.Path, "socket");

    /// <summary>The bin directory of the newest installed version (tests/servers/install.sh installs the package).</summary>
    public static string BinDirectory =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "postgres")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .FirstOrDefault() ?? throw Missing()
            : throw Missing();

    public static async Task<PostgresServer> StartAsync()
    {
        var server = new PostgresServer();
        try
        {
            Directory.CreateDirectory(server.SocketDirectory);
            if (Environment.IsPrivilegedProcess)
            {
                await RunAsync("chown", ["-R", "postgres:postgres", server._root.Path]);
            }

            await RunAsync(Tool("initdb"), ["-D", server.DataDirectory, "-U", "postgres", "--auth=trust", "--no-sync", "--no-locale", "-E", "UTF8"], asPostgres: true);
            await server.StartProcessAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts postgres (again) on the same data directory and port and waits until it accepts connections.</summary>
    public async Task StartProcessAsync()
    {
        var start = Start(Tool("postgres"),
        [
            "-D", DataDirectory, "-p", Port.ToString(CultureInfo.InvariantCulture), "-k", SocketDirectory,
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=200",
        ], asPostgres: true);
        var process = _process = ServerProcesses.StartDrained(start, "postgres");
        await Readiness.WaitAsync(
            $"PostgreSQL on port {Port}",
            async token =>
            {
                using var ready = Process.Start(Start(Tool("pg_isready"), ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres"], asPostgres: false))!;
                await ready.WaitForExitAsync(token);
                return ready.ExitCode == 0;
            },
            () => process.HasExited ? $"it exited with {process.ExitCode}" : null);
    }

    /// <summary>Kills the postmaster and its backends (SIGKILL), as a crash would; the next start recovers from the WAL.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await ServerProcesses.KillAsync(process);
        }
    }

    /// <summary>Fast shutdown (SIGINT): open transactions are rolled back, clients disconnected, and the postmaster exits.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            ServerProcesses.Signal(process, "INT");
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                // It did not stop: kill it (and its backends) instead.
            }

            await ServerProcesses.KillAsync(process);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _root.Dispose();
    }

    private static string Tool(string name) => Path.Combine(BinDirectory, name);

    private static InvalidOperationException Missing() =>
        new("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres): run tests/servers/install.sh.");

    private static ProcessStartInfo Start(string executable, IEnumerable<string> arguments, bool asPostgres)
    {
        var start = asPostgres && Environment.IsPrivilegedProcess
            ? new ProcessStartInfo("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", executable, .. arguments])
            : new ProcessStartInfo(executable, arguments);
        start.UseShellExecute = false;
        return start;
    }

    private static async Task RunAsync(string executable, IEnumerable<string> arguments, bool asPostgres = false)
    {
        var start = Start(executable, arguments, asPostgres);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(executable)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }
}
