using TusCluster.LoadDriver.Scenarios;
using TusCluster.LoadDriver.Tests.Infrastructure;

namespace TusCluster.LoadDriver.Tests.Scenarios;

public sealed class CorruptionDetectionTests
{
    [Theory]
    [InlineData(ScenarioNames.SmallFiles)]
    [InlineData(ScenarioNames.CreateAndPatch)]
    public async Task A_server_that_flips_a_byte_on_GET_is_reported_as_corrupting(string scenario)
    {
        await using var fake = await FakeTusServer.StartAsync(FakeTusServerFault.CorruptReads);

        var run = await DriverRun.RunAsync("run", "--scenario", scenario, "--url", fake.FilesUrl.ToString(), "--vus", "2", "--iterations", "3", "--size", "10KiB", "--chunk-size", "4KiB", "--quiet");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(3, run.Long("uploadsFinished"));
        Assert.Equal(3, run.Long("uploadsCorrupted"));
        Assert.Equal(0, run.Long("uploadsVerified"));
        Assert.Equal(0, run.Long("uploadsLost"));
        Assert.Contains("3 corrupted", run.Output, StringComparison.Ordinal);
        Assert.Contains("FAILED", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_finished_upload_that_cannot_be_read_back_is_reported_as_lost()
    {
        await using var fake = await FakeTusServer.StartAsync(FakeTusServerFault.LoseUploads);

        var clock = new FastForwardTimeProvider();

        var run = await DriverRun.RunAsync(clock, "run", "--scenario", ScenarioNames.SmallFiles, "--url", fake.FilesUrl.ToString(), "--vus", "1", "--iterations", "2", "--size", "1KiB", "--quiet");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(2, run.Long("uploadsFinished"));
        Assert.Equal(2, run.Long("uploadsLost"));
        Assert.Equal(0, run.Long("uploadsCorrupted"));

        // Each is read once and retried after each of tus-js-client's four delays before it is given
        // up: a replica restarting mid-read is not a loss.
        Assert.Equal(10, run.Summary.GetProperty("errors").GetProperty("GET 404").GetInt64());
        Assert.Equal(2 * 3, clock.Waits.Count);
        Assert.Equal(0, run.Long("uploadsAbandoned"));

        // Listed with what they should hold, for a read after the chaos (loadtests/chaos.sh).
        var unreadable = run.Summary.GetProperty("unreadableUploads").EnumerateArray().ToList();
        Assert.Equal(2, unreadable.Count);
        Assert.All(unreadable, u =>
        {
            Assert.StartsWith(fake.FilesUrl.ToString(), u.GetProperty("url").GetString(), StringComparison.Ordinal);
            Assert.Equal(1024, u.GetProperty("length").GetInt64());
            Assert.Matches("^[0-9a-f]{64}$", u.GetProperty("sha256").GetString());
        });
    }
}
