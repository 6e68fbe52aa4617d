using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace TusCluster.Observability.Tests.Infrastructure;

/// <summary>
/// The real Prometheus (Debian package) on a free loopback port, scraping the given targets every second
/// and loading the given rule files; its data lives in a temporary directory. Stopped by its PID.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus";

    private readonly Process _process;
    private readonly TemporaryDirectory _data;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http;

    private PrometheusServer(Process process, TemporaryDirectory data, Uri address)
    {
        _process = process;
        _data = data;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <param name="jobs">Job name to scrape targets (host:port) and metrics path.</param>
    public static async Task<PrometheusServer> StartAsync(IReadOnlyList<(string Job, string MetricsPath, IReadOnlyList<string> Targets)> jobs, IReadOnlyList<string> ruleFiles)
    {
        var data = new TemporaryDirectory();
        var config = new StringBuilder();
        config.Append("global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\n  evaluation_interval: 1s\n");
        config.Append("rule_files:\n");
        foreach (var file in ruleFiles)
        {
            config.Append(CultureInfo.InvariantCulture, $"  - '{file}'\n");
        }

        config.Append("scrape_configs:\n");
        foreach (var (job, path, targets) in jobs)
        {
            config.Append(CultureInfo.InvariantCulture, $"  - job_name: '{job}'\n    metrics_path: '{path}'\n    static_configs:\n      - targets: [{string.Join(", ", targets.Select(t => $"'{t}'"))}]\n");
        }

        var configPath = Path.Combine(data.Path, "prometheus.yml");
        await File.WriteAllTextAsync(configPath, config.ToString());
        var port = FreePort.Next();
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList =
            {
                $"--config.file={configPath}",
                $"--storage.tsdb.path={Path.Combine(data.Path, "tsdb")}",
                $"--web.listen-address=127.0.0.1:{port}",
                "--log.level=warn",
            },
        };
        var server = new PrometheusServer(Process.Start(start)!, data, new Uri($"http://127.0.0.1:{port}/"));
        await server.WaitUntilReadyAsync();
        return server;
    }

    /// <summary>Runs an instant query; returns the API's status, error and the number of series in the result.</summary>
    public async Task<(string Status, string? Error, int Series)> QueryAsync(string expression)
    {
        using var response = await _http.PostAsync("api/v1/query", new FormUrlEncodedContent([new("query", expression)]));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        var status = root.GetProperty("status").GetString()!;
        if (status != "success")
        {
            return (status, root.TryGetProperty("error", out var error) ? error.GetString() : null, 0);
        }

        var result = root.GetProperty("data").GetProperty("result");
        return (status, null, result.ValueKind == JsonValueKind.Array ? result.GetArrayLength() : 1);
    }

    public async Task<double?> ScalarAsync(string expression)
    {
        using var response = await _http.PostAsync("api/v1/query", new FormUrlEncodedContent([new("query", expression)]));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var result = document.RootElement.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() == 0
            ? null
            : double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until every target has been scraped successfully; returns the targets still down (with their last error) at the timeout.</summary>
    public async Task<IReadOnlyList<string>> WaitForTargetsUpAsync(int expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        List<string> down = [$"fewer than {expected} targets"];
        while (DateTime.UtcNow < deadline)
        {
            using var document = JsonDocument.Parse(await _http.GetStringAsync("api/v1/targets?state=active"));
            var targets = document.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray().ToList();
            down =
            [
                .. targets.Where(t => t.GetProperty("health").GetString() != "up")
                    .Select(t => $"target {t.GetProperty("labels").GetProperty("job").GetString()} {t.GetProperty("scrapeUrl").GetString()} is {t.GetProperty("health").GetString()}: {t.GetProperty("lastError").GetString()}"),
            ];
            if (targets.Count == expected && down.Count == 0)
            {
                return [];
            }

            await Task.Delay(250);
        }

        return down;
    }

    /// <summary>Every metric name Prometheus has scraped.</summary>
    public async Task<IReadOnlySet<string>> MetricNamesAsync()
    {
        using var document = JsonDocument.Parse(await _http.GetStringAsync("api/v1/label/__name__/values"));
        return document.RootElement.GetProperty("data").EnumerateArray().Select(v => v.GetString()!).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Every loaded rule with its health after evaluation (ok, err, unknown) and last error.</summary>
    public async Task<IReadOnlyList<(string Name, string Query, string Health, string? Error)>> RulesAsync()
    {
        using var document = JsonDocument.Parse(await _http.GetStringAsync("api/v1/rules"));
        return
        [
            .. document.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray()
                .SelectMany(g => g.GetProperty("rules").EnumerateArray())
                .Select(r => (r.GetProperty("name").GetString()!, r.GetProperty("query").GetString()!, r.GetProperty("health").GetString()!, r.TryGetProperty("lastError", out var e) ? e.GetString() : null)),
        ];
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _http.Dispose();
        _data.Dispose();
    }

    private Task WaitUntilReadyAsync() =>
        Readiness.WaitAsync(
            "Prometheus",
            Readiness.HttpProbe(new Uri(_http.BaseAddress!, "-/ready")),
            () => _process.HasExited ? $"it exited with {_process.ExitCode}:\n{Output}" : null);

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
