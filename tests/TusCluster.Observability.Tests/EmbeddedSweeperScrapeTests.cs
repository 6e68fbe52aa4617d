using TusCluster.Observability.Tests.Infrastructure;

namespace TusCluster.Observability.Tests;

/// <summary>
/// With embedded coordination the upload service sweeps in-process: the sweeper dashboard must then
/// work on the upload service's own scrape.
/// </summary>
public sealed class EmbeddedSweeperScrapeTests
{
    [Fact]
    public async Task Sweeper_dashboard_returns_data_from_an_upload_service_that_sweeps_in_process()
    {
        using var data = new TemporaryDirectory();
        await using var service = ServiceProcess.Start(data.Path, "--Tus:Expiration=00:00:01", "--Tus:Sweeper:Interval=00:00:01");
        await service.WaitUntilReadyAsync();
        await using var prometheus = await PrometheusServer.StartAsync([("tuscluster-upload-service", "/metrics", [service.BaseAddress.Authority])], []);
        Assert.Empty(await prometheus.WaitForTargetsUpAsync(1, TimeSpan.FromSeconds(10)));

        using var client = new HttpClient();
        for (var i = 0; i < 3; i++)
        {
            await AbandonedUpload.CreateAsync(client, service.FilesUrl, [1, 2, 3], 10);
        }

        for (var attempt = 0; attempt < 50 && await prometheus.ScalarAsync("sum(tus_sweeper_uploads_expired_total) >= 3") is null; attempt++)
        {
            await Task.Delay(200);
        }

        // rate() needs two samples of a series: let series born in the last scrape get a second one.
        await Task.Delay(TimeSpan.FromSeconds(2.5), TestContext.Current.CancellationToken);
        var failures = new List<string>();
        var dashboard = Dashboard.Load("tuscluster-sweeper.json");
        foreach (var (panel, expression) in dashboard.Queries)
        {
            var (status, error, series) = await prometheus.QueryAsync(Dashboard.ForPrometheus(expression));
            if (status != "success" || series == 0)
            {
                failures.Add($"{panel}: {status} {error} {series} series: {expression}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n" + service.Output);
    }
}
