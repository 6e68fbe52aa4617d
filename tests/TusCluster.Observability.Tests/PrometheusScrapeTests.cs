using System.Diagnostics;
using System.Globalization;
using System.Net;
using TusCluster.Observability.Tests.Infrastructure;

namespace TusCluster.Observability.Tests;

/// <summary>
/// A real Prometheus scrapes three upload replicas and the sweeper (real processes sharing a real Redis
/// and one data directory) while uploads run; then every PromQL expression of every dashboard panel and
/// alert rule is run through Prometheus's HTTP API. Each must parse and each panel must return data, so
/// a renamed metric or label fails here, not on an operator's screen.
/// </summary>
public sealed class PrometheusScrapeTests
{
    private const int FinishedUploads = 24;
    private const int AbandonedUploads = 3;
    private const int ChunkSize = 16 * 1024;

    private static string AlertRules => Path.Combine(RepositoryPaths.Root, "charts", "tuscluster", "alerts", "tuscluster-alerts.yaml");

    [Fact]
    public async Task Every_dashboard_panel_returns_data_and_every_alert_rule_evaluates()
    {
        await using var redis = await CoordinationServer.StartAsync("Redis");
        using var data = new TemporaryDirectory();
        string[] backend = [.. redis.ReplicaArguments(TimeSpan.FromSeconds(5)), $"--Tus:Storage:FileSystem:Root={data.Path}/uploads"];
        var metricsPort = FreePort.Next();
        var replicas = new List<ServiceProcess>();
        ServiceProcess? sweeper = null;
        try
        {
            // Unfinished uploads expire after five seconds, so the sweeper has work within the test (and
            // uploads being written survive a slow machine: every PATCH renews the expiry).
            string[] replicaArguments = [.. backend, "--Tus:Expiration=00:00:05", "--Tus:Logging:Format=Json"];
            replicas.Add(ServiceProcess.Start(data.Path, replicaArguments));
            replicas.Add(ServiceProcess.Start(data.Path, replicaArguments));
            replicas.Add(ServiceProcess.Start(data.Path, [.. replicaArguments, $"--Tus:Metrics:Port={metricsPort}"]));
            sweeper = SweeperProcess.Start([.. backend, "--Tus:Sweeper:Interval=00:00:01"]);
            await Task.WhenAll([.. replicas.Select(r => r.WaitUntilReadyAsync()), sweeper.WaitUntilReadyAsync()]);

            var uploadTargets = new List<string> { replicas[0].BaseAddress.Authority, replicas[1].BaseAddress.Authority, $"127.0.0.1:{metricsPort}" };
            await using var prometheus = await PrometheusServer.StartAsync(
                [("tuscluster-upload-service", "/metrics", uploadTargets), ("tuscluster-sweeper", "/metrics", [sweeper.BaseAddress.Authority])],
                [AlertRules]);
            // Reported with the rest, so one run shows everything that is missing.
            var failures = new List<string>(await prometheus.WaitForTargetsUpAsync(4, TimeSpan.FromSeconds(10)));

            await RunLoadAsync(replicas);
            failures.AddRange(await WaitForAsync(prometheus, $"sum(tus_uploads_finished_total) >= {FinishedUploads}"));
            failures.AddRange(await WaitForAsync(prometheus, $"sum(tus_sweeper_uploads_expired_total) >= {AbandonedUploads}", attempts: 100));
            failures.AddRange(await WaitForAsync(prometheus, "count(tus_uploads_active) == 3"));

            // rate() needs two samples of a series: let series born in the last scrape get a second one.
            await Task.Delay(TimeSpan.FromSeconds(2.5), TestContext.Current.CancellationToken);

            var exported = await prometheus.MetricNamesAsync();
            // These replicas have no hook transport configured, so nothing is ever invoked: the Hooks row is
            // checked by HooksScrapeTests against a service whose hooks deliver.
            foreach (var dashboard in new[] { "tuscluster-uploads.json", "tuscluster-sweeper.json" }.Select(f => Dashboard.Load(f).ExceptRow("Hooks")))
            {
                Assert.NotEmpty(dashboard.Queries);
                foreach (var (panel, expression) in dashboard.Queries)
                {
                    var (status, error, series) = await prometheus.QueryAsync(Dashboard.ForPrometheus(expression));
                    if (status != "success")
                    {
                        failures.Add($"{dashboard.File} / {panel}: does not evaluate ({error}): {expression}");
                    }
                    else if (series == 0)
                    {
                        failures.Add($"{dashboard.File} / {panel}: no data: {expression}");
                    }

                    failures.AddRange(PromQl.MetricNames(expression).Except(exported).Select(m => $"{dashboard.File} / {panel}: no metric {m}"));
                }
            }

            var rules = await WaitForRuleEvaluationAsync(prometheus);
            Assert.True(rules.Count >= 10, $"Only {rules.Count} alert rules loaded.");
            failures.AddRange(rules.Where(r => r.Health != "ok").Select(r => $"alert {r.Name}: {r.Health} {r.Error}"));

            // An alert is silent when all is well, so "returns data" cannot catch a renamed metric there: check the names.
            failures.AddRange(rules.SelectMany(r => PromQl.MetricNames(r.Query).Except(exported).Select(m => $"alert {r.Name}: no metric {m}")));

            Assert.True(failures.Count == 0, string.Join("\n", failures));
        }
        finally
        {
            if (sweeper is not null)
            {
                await sweeper.DisposeAsync();
            }

            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Alert_rules_pass_promtool()
    {
        using var promtool = Process.Start(new ProcessStartInfo("/usr/bin/promtool", ["check", "rules", AlertRules]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await promtool.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken)
            + await promtool.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await promtool.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(promtool.ExitCode == 0, output);
    }

    /// <summary>
    /// Finished uploads whose chunks go to different replicas (a real cluster without stickiness), abandoned
    /// ones for the sweeper, terminations, a download, and refusals (404, 409) for the status panels.
    /// </summary>
    private static async Task RunLoadAsync(IReadOnlyList<ServiceProcess> replicas)
    {
        using var client = new HttpClient();
        var data = Tus.RandomBytes(3 * ChunkSize);
        Uri? finished = null;
        await Parallel.ForAsync(0, FinishedUploads, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var upload = await Tus.CreateAsync(client, replicas[i % 3].FilesUrl, data.Length);
            for (var chunk = 0; chunk < 3; chunk++)
            {
                var target = new Uri(replicas[(i + chunk + 1) % 3].FilesUrl, upload.AbsolutePath);
                using var response = await Tus.PatchAsync(client, target, chunk * ChunkSize, data[(chunk * ChunkSize)..((chunk + 1) * ChunkSize)]);
                Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            }

            finished = upload;
        });

        for (var i = 0; i < AbandonedUploads; i++)
        {
            await AbandonedUpload.CreateAsync(client, replicas[i].FilesUrl, data[..ChunkSize], data.Length);
        }

        for (var i = 0; i < 3; i++)
        {
            var terminated = await Tus.CreateAsync(client, replicas[i].FilesUrl, 10);
            using var delete = await client.SendAsync(Tus.Request(HttpMethod.Delete, terminated));
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);

            using var unknown = await Tus.HeadAsync(client, new Uri(replicas[i].FilesUrl, "0123456789abcdef0123456789abcdef"));
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

            using var conflict = await Tus.PatchAsync(client, new Uri(replicas[i].FilesUrl, finished!.AbsolutePath), 5, [1]);
            Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);

            using var download = await client.GetAsync(new Uri(replicas[i].FilesUrl, finished.AbsolutePath));
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        }
    }

    private static async Task<IReadOnlyList<string>> WaitForAsync(PrometheusServer prometheus, string condition, int attempts = 50)
    {
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            if (await prometheus.ScalarAsync(condition) is not null)
            {
                return [];
            }

            await Task.Delay(200);
        }

        return [$"Prometheus never saw: {condition}"];
    }

    private static async Task<IReadOnlyList<(string Name, string Query, string Health, string? Error)>> WaitForRuleEvaluationAsync(PrometheusServer prometheus)
    {
        IReadOnlyList<(string Name, string Query, string Health, string? Error)> rules = [];
        for (var attempt = 0; attempt < 50; attempt++)
        {
            rules = await prometheus.RulesAsync();
            if (rules.Count > 0 && rules.All(r => r.Health != "unknown"))
            {
                break;
            }

            await Task.Delay(200);
        }

        return rules;
    }
}
