using TusCluster.LoadDriver.Scenarios;
using TusCluster.LoadDriver.Tests.Infrastructure;

namespace TusCluster.LoadDriver.Tests.Scenarios;

/// <summary>
/// The driver retries as tus-js-client does. Waits are read off a <see cref="FastForwardTimeProvider"/>:
/// what the driver chose to wait, not how long the machine took.
/// </summary>
public sealed class RetryTests
{
    [Fact]
    public async Task POSTs_answered_503_are_retried_with_the_servers_Retry_After_and_the_upload_finishes()
    {
        await using var fake = await FakeTusServer.StartAsync(FakeTusServerFault.UnavailablePosts);
        var clock = new FastForwardTimeProvider();

        var run = await DriverRun.RunAsync(clock, "run", "--scenario", ScenarioNames.CreateAndPatch, "--url", fake.FilesUrl.ToString(), "--vus", "1", "--iterations", "1", "--size", "10KiB", "--chunk-size", "4KiB", "--quiet");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(1, run.Long("uploadsStarted"));
        Assert.Equal(1, run.Long("uploadsFinished"));
        Assert.Equal(1, run.Long("uploadsVerified"));
        Assert.Equal(0, run.Long("uploadsAbandoned"));
        Assert.Equal(FakeTusServer.UnavailablePosts + 1, fake.Posts);
        Assert.Equal(FakeTusServer.UnavailablePosts, run.Long("retries"));
        Assert.Equal(FakeTusServer.UnavailablePosts, run.Summary.GetProperty("errors").GetProperty("POST 503").GetInt64());

        // tus-js-client's delays are 0, 1 and 3 s; the server's Retry-After: 2 wins where it is longer.
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)], clock.Waits);
    }

    [Fact]
    public async Task Retry_After_is_honoured_only_up_to_the_cap()
    {
        await using var fake = await FakeTusServer.StartAsync(FakeTusServerFault.UnavailablePosts);
        var clock = new FastForwardTimeProvider();

        var run = await DriverRun.RunAsync(clock, "run", "--scenario", ScenarioNames.SmallFiles, "--url", fake.FilesUrl.ToString(), "--vus", "1", "--iterations", "1", "--size", "1KiB", "--retry-delays", "0,0,0", "--max-retry-after", "1500ms", "--quiet");

        Assert.Equal(1, run.Long("uploadsVerified"));
        Assert.Equal([TimeSpan.FromMilliseconds(1500), TimeSpan.FromMilliseconds(1500), TimeSpan.FromMilliseconds(1500)], clock.Waits);
    }

    [Fact]
    public async Task A_PATCH_that_keeps_failing_is_resumed_from_HEAD_after_each_delay_until_the_retries_are_spent()
    {
        await using var fake = await FakeTusServer.StartAsync(FakeTusServerFault.UnavailablePatches);
        var clock = new FastForwardTimeProvider();

        var run = await DriverRun.RunAsync(clock, "run", "--scenario", ScenarioNames.CreateAndPatch, "--url", fake.FilesUrl.ToString(), "--vus", "1", "--iterations", "1", "--size", "8KiB", "--chunk-size", "4KiB", "--quiet");

        Assert.Equal(1, run.Long("uploadsAbandoned"));
        Assert.Equal(0, run.Long("uploadsFinished"));

        // No progress, so the count never starts over: the first PATCH, then per delay a HEAD and a PATCH.
        Assert.Equal(5, fake.Patches);
        Assert.Equal(4, fake.Heads);
        Assert.Equal(4, run.Long("recoveries"));

        // tus-js-client's 0 s needs no timer; then 1, 3 and 5 s.
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5)], clock.Waits);
    }

    [Fact]
    public async Task An_upload_whose_retries_are_spent_is_counted_abandoned_not_finished()
    {
        await using var fake = await FakeTusServer.StartAsync(FakeTusServerFault.AlwaysUnavailable);
        var clock = new FastForwardTimeProvider();

        var run = await DriverRun.RunAsync(clock, "run", "--scenario", ScenarioNames.CreateAndPatch, "--url", fake.FilesUrl.ToString(), "--vus", "1", "--iterations", "2", "--size", "1KiB", "--retry-delays", "0,500", "--quiet");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(2, run.Long("uploadsStarted"));
        Assert.Equal(0, run.Long("uploadsFinished"));
        Assert.Equal(2, run.Long("uploadsAbandoned"));
        Assert.Equal(0, run.Long("uploadsFailed"));
        Assert.Equal(0, run.Long("uploadsLost"));

        // Each upload: the first POST and one retry per delay, then given up.
        Assert.Equal(2 * 3, fake.Posts);
        Assert.Equal(2 * 2, run.Long("retries"));
        Assert.Contains("2 abandoned (retries spent)", run.Output, StringComparison.Ordinal);
    }
}
