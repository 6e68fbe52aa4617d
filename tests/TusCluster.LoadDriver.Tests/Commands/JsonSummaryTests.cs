using System.Text.Json;
using TusCluster.LoadDriver.Scenarios;
using TusCluster.LoadDriver.Tests.Infrastructure;

namespace TusCluster.LoadDriver.Tests.Commands;

public sealed class JsonSummaryTests(ServiceFixture service)
{
    [Fact]
    public async Task The_json_summary_parses_and_has_every_field()
    {
        var run = await DriverRun.RunAsync("run", "--scenario", ScenarioNames.CreateAndPatch, "--url", service.FilesUrl.ToString(), "--vus", "2", "--iterations", "3", "--size", "100KiB", "--chunk-size", "32KiB", "--quiet");
        var summary = run.Summary;

        Assert.Equal(ScenarioNames.CreateAndPatch, summary.GetProperty("scenario").GetString());
        Assert.Equal(2, summary.GetProperty("vus").GetInt32());
        Assert.Equal("100KiB", summary.GetProperty("sizes").GetString());
        foreach (var name in new[] { "elapsedSeconds", "megabytesPerSecond", "uploadsPerSecond", "errorRate" })
        {
            Assert.Equal(JsonValueKind.Number, summary.GetProperty(name).ValueKind);
        }

        foreach (var name in new[] { "requestCount", "errorCount", "uploadsStarted", "uploadsFinished", "uploadsVerified", "uploadsCorrupted", "uploadsLost", "interruptions", "offsetConflicts", "bytesUploaded", "chunkSize" })
        {
            Assert.True(summary.GetProperty(name).TryGetInt64(out _), name);
        }

        Assert.Equal(3 * 100 * 1024, summary.GetProperty("bytesUploaded").GetInt64());
        Assert.Equal(JsonValueKind.Object, summary.GetProperty("errors").ValueKind);
        Assert.Equal(JsonValueKind.Array, summary.GetProperty("thresholdFailures").ValueKind);
        Assert.True(summary.GetProperty("passed").GetBoolean());

        var requests = summary.GetProperty("requests");
        foreach (var kind in new[] { "POST", "PATCH", "HEAD", "GET", "DELETE" })
        {
            var stats = requests.GetProperty(kind);
            foreach (var field in new[] { "count", "p50Ms", "p95Ms", "p99Ms", "meanMs", "maxMs" })
            {
                Assert.Equal(JsonValueKind.Number, stats.GetProperty(field).ValueKind);
            }
        }

        Assert.Equal(3, requests.GetProperty("POST").GetProperty("count").GetInt64());
        Assert.Equal(12, requests.GetProperty("PATCH").GetProperty("count").GetInt64());
        Assert.Equal(3, requests.GetProperty("GET").GetProperty("count").GetInt64());
        Assert.Equal(3, requests.GetProperty("DELETE").GetProperty("count").GetInt64());
        var patch = requests.GetProperty("PATCH");
        Assert.True(patch.GetProperty("p50Ms").GetDouble() <= patch.GetProperty("p95Ms").GetDouble());
        Assert.True(patch.GetProperty("p95Ms").GetDouble() <= patch.GetProperty("p99Ms").GetDouble());
    }
}
