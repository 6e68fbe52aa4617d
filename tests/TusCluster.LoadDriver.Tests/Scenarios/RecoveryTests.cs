using TusCluster.LoadDriver.Scenarios;
using TusCluster.LoadDriver.Tests.Infrastructure;

namespace TusCluster.LoadDriver.Tests.Scenarios;

public sealed class RecoveryTests
{
    [Fact]
    public async Task A_PATCH_answered_503_after_the_server_kept_part_of_it_is_resumed_from_HEAD_and_the_upload_verifies()
    {
        await using var fake = await FakeTusServer.StartAsync(FakeTusServerFault.FlakyPatches);

        var run = await DriverRun.RunAsync("run", "--scenario", ScenarioNames.CreateAndPatch, "--url", fake.FilesUrl.ToString(), "--vus", "1", "--iterations", "2", "--size", "40KiB", "--chunk-size", "8KiB", "--quiet");

        Assert.Equal(2, run.Long("uploadsVerified"));
        Assert.Equal(0, run.Long("uploadsCorrupted"));
        Assert.Equal(0, run.Long("uploadsLost"));

        // Every second PATCH fails: each failure is counted as an error and recovered from.
        Assert.True(run.Long("recoveries") >= 4, $"recoveries: {run.Long("recoveries")}");
        Assert.Equal(run.Long("recoveries"), run.Summary.GetProperty("errors").GetProperty("PATCH 503").GetInt64());
        Assert.Equal(2 * 40 * 1024, run.Long("bytesUploaded"));
        Assert.Equal(0, run.Long("offsetRegressions"));
    }

    [Fact]
    public async Task A_server_that_forgets_acknowledged_bytes_is_caught_by_the_HEAD_even_though_the_resent_upload_verifies()
    {
        await using var fake = await FakeTusServer.StartAsync(FakeTusServerFault.ForgetOnce);

        var run = await DriverRun.RunAsync("run", "--scenario", ScenarioNames.CreateAndPatch, "--url", fake.FilesUrl.ToString(), "--vus", "1", "--iterations", "1", "--size", "16KiB", "--chunk-size", "4KiB", "--quiet");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(1, run.Long("uploadsVerified"));
        Assert.Equal(1, run.Long("offsetRegressions"));
        Assert.Contains("offset regression", run.Output, StringComparison.Ordinal);
    }
}
