using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using TusCluster.Operator.Tests.Fakes;

namespace TusCluster.Operator.Tests.Controller;

/// <summary>The operator as a real process: kubeconfig, leader election and the controller against the fake API server.</summary>
public sealed class OperatorProcessTests
{
    [Fact]
    public async Task The_operator_process_takes_the_lease_and_reconciles_through_a_kubeconfig()
    {
        await using var fake = await FakeKubernetesApiServer.StartAsync();
        fake.CreateTusServer("media", "uploads", TestServers.EtcdOnVolume());
        var directory = Directory.CreateTempSubdirectory("operator-").FullName;
        var kubeconfig = Path.Combine(directory, "config");
        await File.WriteAllTextAsync(kubeconfig, $"""
            current-context: fake
            clusters: [{"{"} name: fake, cluster: {"{"} server: "{fake.BaseAddress}" {"}"} {"}"}]
            users: [{"{"} name: me, user: {"{"} token: t {"}"} {"}"}]
            contexts: [{"{"} name: fake, context: {"{"} cluster: fake, user: me, namespace: ops {"}"} {"}"}]
            """, TestContext.Current.CancellationToken);
        var port = FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "TusCluster.Operator.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                dll, $"--Operator:Kubeconfig={kubeconfig}", $"--Operator:Urls=http://127.0.0.1:{port}", "--Operator:Identity=test",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient();
            await Eventually.HoldsAsync(() => Get(http, port, "/leader") == "leader", "the process leads", TimeSpan.FromSeconds(30));
            Assert.Equal("ok", Get(http, port, "/healthz"));
            Assert.Equal("ok", Get(http, port, "/readyz"));
            await Eventually.HoldsAsync(() => fake.Get("/apis/apps/v1/namespaces/media/deployments/uploads-sweeper") is not null, "the children exist", TimeSpan.FromSeconds(30));
            Assert.StartsWith("test_", (string?)fake.Get("/apis/coordination.k8s.io/v1/namespaces/ops/leases/tuscluster-operator")!["spec"]!["holderIdentity"], StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_missing_kubeconfig_is_a_short_error_with_exit_code_2()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "TusCluster.Operator.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--Operator:Kubeconfig=/nonexistent/kubeconfig" },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var stderr = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, process.ExitCode);
        Assert.StartsWith("Cannot start the operator:", stderr, StringComparison.Ordinal);
    }

    private static string? Get(HttpClient http, int port, string path)
    {
        try
        {
            return http.GetStringAsync(new Uri($"http://127.0.0.1:{port}{path}")).GetAwaiter().GetResult();
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
