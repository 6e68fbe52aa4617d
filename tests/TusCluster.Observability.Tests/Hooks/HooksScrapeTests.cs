using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using TusCluster.Hooks.Sinks;
using TusCluster.Observability.Tests.Infrastructure;
using TusCluster.UploadService.Hosting;

namespace TusCluster.Observability.Tests.Hooks;

/// <summary>
/// The dashboard's Hooks row and the hooks alerts against a real Prometheus scraping an upload service
/// whose hooks deliver (and fail to deliver) events: every panel must return data from metric names the
/// service exposes, and losing events must fire TusHookEventsAbandoned.
/// </summary>
public sealed class HooksScrapeTests
{
    private const int FinishedUploads = 6;
    private const int TerminatedUploads = 2;

    private static string AlertRules => Path.Combine(RepositoryPaths.Root, "charts", "tuscluster", "alerts", "tuscluster-alerts.yaml");

    [Fact]
    public async Task Hooks_panels_return_data_and_abandoned_events_fire_their_alert()
    {
        using var data = new TemporaryDirectory();
        var port = FreePort.Next();
        var sink = new ScriptedHookSink();
        var app = UploadServiceHost.Build(
            [
                $"--urls=http://127.0.0.1:{port}",
                $"--Tus:Storage:FileSystem:Root={data.Path}/uploads",
                $"--Tus:Coordination:Embedded:Directory={data.Path}/meta",
                "--Tus:Sweeper:Enabled=false",
                "--Tus:Hooks:RedeliveryDelay=00:00:00.500",
                "--Tus:Hooks:RedeliveryPollInterval=00:00:00.200",
                "--Tus:Hooks:MaxRedeliveryBackoff=00:00:00.500",
                "--Tus:Hooks:GiveUpAfter=00:00:02",
            ],
            services => services.AddSingleton<IHookSink>(sink));
        await using (app)
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
            await using var prometheus = await PrometheusServer.StartAsync([("tuscluster-upload-service", "/metrics", [$"127.0.0.1:{port}"])], [AlertRules]);
            var failures = new List<string>(await prometheus.WaitForTargetsUpAsync(1, TimeSpan.FromSeconds(10)));

            var files = new Uri($"http://127.0.0.1:{port}/files/");
            using var client = new HttpClient();
            for (var i = 0; i < FinishedUploads; i++)
            {
                var upload = await Tus.CreateAsync(client, files, 3);
                using var patch = await Tus.PatchAsync(client, upload, 0, [1, 2, 3]);
                Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
            }

            for (var i = 0; i < TerminatedUploads; i++)
            {
                var upload = await Tus.CreateAsync(client, files, 3);
                using var delete = await client.SendAsync(Tus.Request(HttpMethod.Delete, upload), TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
            }

            failures.AddRange(await WaitForAsync(prometheus, $"sum(tus_hooks_invocations_total{{event=\"post-finish\",outcome=\"ok\"}}) >= {FinishedUploads}"));
            failures.AddRange(await WaitForAsync(prometheus, $"sum(tus_hooks_events_abandoned_total) >= {TerminatedUploads}"));

            // rate() needs two samples of a series: let series born in the last scrape get a second one.
            await Task.Delay(TimeSpan.FromSeconds(2.5), TestContext.Current.CancellationToken);

            var exported = await prometheus.MetricNamesAsync();
            var hooks = Dashboard.Load("tuscluster-uploads.json").InRow("Hooks");
            Assert.True(hooks.Queries.Count >= 7, $"The Hooks row has only {hooks.Queries.Count} queries.");
            foreach (var (panel, expression) in hooks.Queries)
            {
                var (status, error, series) = await prometheus.QueryAsync(Dashboard.ForPrometheus(expression));
                if (status != "success" || series == 0)
                {
                    failures.Add($"{panel}: {status} {error} {series} series: {expression}");
                }

                failures.AddRange(PromQl.MetricNames(expression).Except(exported).Select(m => $"{panel}: no metric {m}"));
            }

            // The lost post-terminate events must show: the failure ratio is above zero and the alert fires.
            failures.AddRange(await WaitForAsync(prometheus, "sum(rate(tus_hooks_invocations_total{outcome=\"failed\"}[1m])) > 0"));
            failures.AddRange(await WaitForAsync(prometheus, "ALERTS{alertname=\"TusHookEventsAbandoned\",alertstate=\"firing\"}"));
            Assert.Equal(FinishedUploads, sink.Received.Count(e => e.Type == Protocol.Events.UploadEventType.PostFinish));
            Assert.True(failures.Count == 0, string.Join("\n", failures));
            await app.StopAsync(TestContext.Current.CancellationToken);
        }
    }

    private static async Task<IReadOnlyList<string>> WaitForAsync(PrometheusServer prometheus, string condition)
    {
        for (var attempt = 0; attempt < 75; attempt++)
        {
            if (await prometheus.ScalarAsync(condition) is not null)
            {
                return [];
            }

            await Task.Delay(200);
        }

        return [$"Prometheus never saw: {condition}"];
    }
}
