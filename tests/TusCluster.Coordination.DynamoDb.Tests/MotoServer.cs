using System.Diagnostics;
using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace TusCluster.Coordination.DynamoDb.Tests;

/// <summary>
/// A throw-away moto server (the AWS APIs in memory, Python package <c>moto</c> with its server extra,
/// command <c>moto_server</c>) on a free loopback port. The outbox tests run on it because dynalite 4.0.0
/// does not implement TransactWriteItems. Stopped by its own PID only; frozen and thawed by PID too.
/// </summary>
internal sealed class MotoServer : IAsyncDisposable
{
    private Process? _process;

    private MotoServer(int port) => Port = port;

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public static async Task<MotoServer> LaunchAsync()
    {
        var server = new MotoServer(FreePort.Next());
        var start = new ProcessStartInfo("moto_server") { ArgumentList = { "-H", "127.0.0.1", "-p", server.Port.ToString(CultureInfo.InvariantCulture) } };
        try
        {
            server._process = ServerProcesses.StartDrained(start, "moto_server");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("moto_server is not on PATH: install the Python package moto[server].", e);
        }

        var process = server._process;
        try
        {
            await Readiness.WaitAsync(
                $"moto on port {server.Port}",
                Readiness.HttpProbe(new Uri($"{server.Endpoint}/moto-api/")),
                () => process.HasExited ? $"moto_server exited with {process.ExitCode}" : null);

            // moto loads a service on its first request, which takes seconds: not within a test's request timeout.
            using var client = new AmazonDynamoDBClient(
                new BasicAWSCredentials("test", "test"),
                new AmazonDynamoDBConfig { ServiceURL = server.Endpoint, AuthenticationRegion = "us-east-1", Timeout = Readiness.DefaultDeadline });
            await client.ListTablesAsync(new ListTablesRequest());
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>SIGSTOP: the port still accepts connections but nothing answers, as a hung server would.</summary>
    public Task FreezeAsync() => SignalAsync("STOP");

    /// <summary>SIGCONT: requests that arrived while frozen are served now.</summary>
    public Task ThawAsync() => SignalAsync("CONT");

    /// <summary>Kills exactly the process this instance started; moto keeps nothing, so it is gone for good.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await ServerProcesses.KillAsync(process);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            await ThawAsync();
        }

        await KillAsync();
    }

    private async Task SignalAsync(string signal)
    {
        var pid = _process?.Id ?? throw new InvalidOperationException("moto is not running.");
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, pid.ToString(CultureInfo.InvariantCulture) } })
            ?? throw new InvalidOperationException("kill did not start.");
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed with {kill.ExitCode}.");
        }
    }
}
