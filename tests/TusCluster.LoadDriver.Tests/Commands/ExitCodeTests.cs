using TusCluster.LoadDriver.Scenarios;
using TusCluster.LoadDriver.Tests.Infrastructure;

namespace TusCluster.LoadDriver.Tests.Commands;

public sealed class ExitCodeTests(ServiceFixture service)
{
    [Fact]
    public async Task A_threshold_that_cannot_be_met_gives_exit_code_1()
    {
        var run = await DriverRun.RunAsync("run", "--scenario", ScenarioNames.CreateAndPatch, "--url", service.FilesUrl.ToString(), "--vus", "1", "--iterations", "2", "--size", "64KiB", "--chunk-size", "16KiB", "--quiet", "--max-p95-patch-ms", "0.000001", "--max-p95-create-ms", "0.000001");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("result: FAILED: p95 PATCH", run.Output, StringComparison.Ordinal);
        Assert.Equal(2, run.Summary.GetProperty("thresholdFailures").GetArrayLength());
        Assert.False(run.Summary.GetProperty("passed").GetBoolean());
        Assert.Equal(0, run.Long("errorCount"));
    }

    [Fact]
    public async Task Thresholds_that_hold_give_exit_code_0()
    {
        var run = await DriverRun.RunAsync("run", "--scenario", ScenarioNames.SmallFiles, "--url", service.FilesUrl.ToString(), "--vus", "1", "--iterations", "2", "--size", "1KiB", "--quiet", "--max-error-rate", "0.01", "--max-p95-create-ms", "60000");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("result: passed", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_rate_above_the_limit_gives_exit_code_1()
    {
        // Nothing listens on this port (it was free a moment ago): every POST fails with a network error.
        var url = $"http://127.0.0.1:{FreePort()}/files/";
        var run = await DriverRun.RunAsync("run", "--scenario", ScenarioNames.SmallFiles, "--url", url, "--vus", "1", "--iterations", "2", "--size", "1KiB", "--quiet", "--max-error-rate", "0.01", "--timeout", "5s", "--retry-delays", "none");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(2, run.Long("errorCount"));
        Assert.Equal(2, run.Long("uploadsAbandoned"));
        Assert.Contains("POST HttpRequestException/SocketException(ConnectionRefused)", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no-such-scenario", "--url", "http://127.0.0.1:1/files/", "not recognized")]
    [InlineData("small-files", "--size", "12QB", "not a size")]
    [InlineData("small-files", "--size-distribution", "5MiB-1MiB", "above maximum")]
    [InlineData("small-files", "--size-distribution", "lots", "not a size range")]
    [InlineData("small-files", "--duration", "soon", "not a duration")]
    [InlineData("small-files", "--vus", "0", "--vus must be at least 1")]
    [InlineData("small-files", "--vus", "many", "many")]
    [InlineData("small-files", "--max-error-rate", "2", "--max-error-rate must be between 0 and 1")]
    [InlineData("small-files", "--retry-delays", "0,1s", "not a list of at most 100 retry delays")]
    [InlineData("small-files", "--retry-delays", "-5", "not a list of at most 100 retry delays")]
    [InlineData("small-files", "--max-retry-after", "1h", "--max-retry-after must be between 0 and 10m")]
    public async Task Bad_arguments_give_exit_code_2_with_a_clear_message(string scenario, string option, string value, string message)
    {
        string[] args = option == "--url"
            ? ["run", "--scenario", scenario, option, value]
            : ["run", "--scenario", scenario, "--url", "http://127.0.0.1:1/files/", option, value];

        var run = await DriverRun.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: ", run.Error, StringComparison.Ordinal);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.Null(run.Json);
    }

    [Theory]
    [InlineData("Required command was not provided")]
    [InlineData("Option '--url' is required", "run", "--scenario", "resume")]
    [InlineData("Option '--peer-url' is required", "compare", "--scenario", "resume", "--url", "http://127.0.0.1:1/files/")]
    [InlineData("is not an absolute http(s) URL", "run", "--scenario", "resume", "--url", "files/")]
    public async Task Missing_or_unusable_arguments_give_exit_code_2(string message, params string[] args)
    {
        var run = await DriverRun.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
