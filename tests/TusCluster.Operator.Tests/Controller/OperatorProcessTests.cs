using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using TusCluster.Operator.Tests.Fakes;
using TusCluster.Operator.Tests.Kubectl;

namespace TusCluster.Operator.Tests.Controller;

/// <summary>The operator as a real process: kubeconfig, leader election and the controller against the fake API server.</summary>
public sealed class OperatorProcessTests
{
    [Fact]
    public async Task The_operator_process_takes_the_lease_and_reconciles_through_a_kubeconfig()
    {
        await using var fake = await FakeKubernetesApiServer.StartAsync();
        fake.CreateTusServer("media", "uploads", TestServers.EtcdOnVolume());
        using var kubectl = KubectlClient.For(fake.BaseAddress, "ops");
        var port = FreePort();
        await using var process = OperatorProcess.Start(kubectl.KubeconfigPath, $"--Operator:Urls=http://127.0.0.1:{port}", "--Operator:Identity=test");

        using var http = new HttpClient();
        await Eventually.HoldsAsync(() => Get(http, port, "/leader") == "leader", "the process leads", TimeSpan.FromSeconds(30));
        Assert.Equal("ok", Get(http, port, "/healthz"));
        Assert.Equal("ok", Get(http, port, "/readyz"));
        await Eventually.HoldsAsync(() => fake.Get("/apis/apps/v1/namespaces/media/deployments/uploads-sweeper") is not null, "the children exist", TimeSpan.FromSeconds(30));
        Assert.StartsWith("test_", (string?)fake.Get("/apis/coordination.k8s.io/v1/namespaces/ops/leases/tuscluster-operator")!["spec"]!["holderIdentity"], StringComparison.Ordinal);
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
