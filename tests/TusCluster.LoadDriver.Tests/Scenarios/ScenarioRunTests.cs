using TusCluster.LoadDriver.Scenarios;
using TusCluster.LoadDriver.Tests.Infrastructure;

namespace TusCluster.LoadDriver.Tests.Scenarios;

/// <summary>Every scenario, briefly, against the real service: all uploads finish and read back intact.</summary>
public sealed class ScenarioRunTests(ServiceFixture service)
{
    public static TheoryData<string> Scenarios => [.. ScenarioNames.All];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Scenario_finishes_every_upload_without_corruption_loss_or_errors(string scenario)
    {
        var run = await DriverRun.RunAsync("run", "--scenario", scenario, "--url", service.FilesUrl.ToString(), "--vus", "2", "--iterations", "4", "--size", "200KiB", "--chunk-size", "64KiB", "--quiet");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(4, run.Long("uploadsFinished"));
        Assert.Equal(4, run.Long("uploadsVerified"));
        Assert.Equal(0, run.Long("uploadsCorrupted"));
        Assert.Equal(0, run.Long("uploadsLost"));
        Assert.Equal(0, run.Long("errorCount"));
        Assert.Contains("4 finished, 4 verified, 0 corrupted, 0 lost", run.Output, StringComparison.Ordinal);
        Assert.Contains("errors: 0 of", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resume_abandons_a_chunk_and_continues_from_the_servers_offset()
    {
        var run = await DriverRun.RunAsync("run", "--scenario", ScenarioNames.Resume, "--url", service.FilesUrl.ToString(), "--vus", "2", "--iterations", "4", "--size", "300KiB", "--chunk-size", "128KiB", "--quiet");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(4, run.Long("interruptions"));
        Assert.Equal(4, run.Summary.GetProperty("requests").GetProperty("HEAD").GetProperty("count").GetInt64());
        Assert.Equal(4, run.Long("uploadsVerified"));

        // Bytes of the abandoned chunks the server kept are acknowledged by the HEAD (or a 409), once.
        Assert.Equal(4 * 300 * 1024, run.Long("bytesUploaded"));
    }

    [Fact]
    public async Task Random_endpoint_over_two_urls_of_one_service_works()
    {
        var run = await DriverRun.RunAsync("run", "--scenario", ScenarioNames.CreateAndPatch, "--url", service.FilesUrl.ToString(), "--url", service.FilesUrlViaLocalhost.ToString(), "--random-endpoint", "--vus", "3", "--iterations", "6", "--size-distribution", "1KiB-256KiB", "--chunk-size", "32KiB", "--quiet");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Summary.GetProperty("randomEndpoint").GetBoolean());
        Assert.Equal(2, run.Summary.GetProperty("urls").GetArrayLength());
        Assert.Equal(6, run.Long("uploadsVerified"));
        Assert.Equal(0, run.Long("errorCount"));
    }

    [Fact]
    public async Task A_duration_bounds_the_run_and_progress_is_printed()
    {
        var run = await DriverRun.RunAsync("run", "--scenario", ScenarioNames.SmallFiles, "--url", service.FilesUrl.ToString(), "--vus", "2", "--duration", "1500ms", "--size", "1KiB");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("uploads", run.Output.Split('\n')[0], StringComparison.Ordinal);
        Assert.StartsWith("[", run.Output, StringComparison.Ordinal);
        Assert.InRange(run.Summary.GetProperty("elapsedSeconds").GetDouble(), 1.4, 20);
        Assert.True(run.Long("uploadsVerified") > 0, run.ToString());
        Assert.Equal(run.Long("uploadsFinished"), run.Long("uploadsVerified"));
    }

    [Fact]
    public async Task Compare_runs_both_servers_and_prints_ratios()
    {
        var run = await DriverRun.RunAsync("compare", "--scenario", ScenarioNames.SmallFiles, "--url", service.FilesUrl.ToString(), "--peer-url", service.FilesUrlViaLocalhost.ToString(), "--vus", "2", "--iterations", "4", "--size", "2KiB", "--quiet");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("ratio A/B: uploads/s", run.Output, StringComparison.Ordinal);
        Assert.Equal(4, run.Summary.GetProperty("a").GetProperty("uploadsVerified").GetInt64());
        Assert.Equal(4, run.Summary.GetProperty("b").GetProperty("uploadsVerified").GetInt64());
        Assert.True(run.Summary.GetProperty("uploadsPerSecondRatio").GetDouble() > 0);
        Assert.True(run.Summary.GetProperty("megabytesPerSecondRatio").GetDouble() > 0);
    }
}
