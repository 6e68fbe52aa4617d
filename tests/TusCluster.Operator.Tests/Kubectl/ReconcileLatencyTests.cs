using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace TusCluster.Operator.Tests.Kubectl;

/// <summary>
/// How fast the operator (a process at its default timings) reacts: from a TusServer change to the applied
/// Deployment, and from a Deployment status change (written as the Deployment controller would) to the TusServer
/// status. The figures go to the test log; only a loose bound is asserted (the machine may be loaded).
/// </summary>
public sealed class ReconcileLatencyTests(ITestOutputHelper output)
{
    private const int Rounds = 5;
    private static readonly TimeSpan LooseBound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Reconcile_latency_from_a_spec_change_to_the_Deployment_and_from_a_Deployment_status_to_the_TusServer_status()
    {
        await using var cluster = await KubectlScenario.StartAsync();
        (await cluster.Kubectl.RunAsync("apply", "--server-side", "-f", cluster.Manifest("rolling.yaml", KubectlTests.Rolling("0.1.0")))).Succeeded();
        await cluster.EventuallyAsync(() => cluster.Deployment("rolling") is not null, "the Deployment exists");
        cluster.Api.CompleteRollout(KubectlScenario.Namespace, "rolling");
        await cluster.EventuallyAsync(() => Ready(cluster.TusServer("rolling")), "the TusServer is Ready");

        var toDeployment = new List<TimeSpan>();
        var toStatus = new List<TimeSpan>();
        for (var round = 1; round <= Rounds; round++)
        {
            var tag = $"0.1.{round}";
            var clock = Stopwatch.StartNew();
            cluster.Api.UpdateTusServerSpec(KubectlScenario.Namespace, "rolling", spec => spec["image"]!["tag"] = tag);
            toDeployment.Add(await UntilAsync(() => KubectlScenario.Image(cluster.Deployment("rolling"))?.EndsWith(":" + tag, StringComparison.Ordinal) == true, clock));

            // Let the reconcile of the change (and the one its own status write triggers) finish first, so that
            // what follows measures the reaction to the Deployment status alone.
            var generation = (long)cluster.TusServer("rolling")!["metadata"]!["generation"]!;
            await cluster.EventuallyAsync(() => (long?)cluster.TusServer("rolling")!["status"]?["observedGeneration"] == generation, "the change is observed");
            await Task.Delay(Settle, TestContext.Current.CancellationToken);

            // The Deployment controller reports the rollout; the ready count alternates (1, 2, 1...) so that every
            // round's figure is the time until the operator carried a new value into the TusServer status.
            var ready = round % 2 == 1 ? 1 : 2;
            clock.Restart();
            cluster.Api.CompleteRollout(KubectlScenario.Namespace, "rolling", ready);
            toStatus.Add(await UntilAsync(() => (int?)cluster.TusServer("rolling")!["status"]?["readyReplicas"] == ready, clock));
            output.WriteLine($"round {round}: TusServer change -> Deployment applied {Ms(toDeployment[^1])}; Deployment status -> TusServer status {Ms(toStatus[^1])}");
        }

        output.WriteLine($"TusServer change -> Deployment applied: median {Ms(Median(toDeployment))}, max {Ms(toDeployment.Max())} ({Rounds} rounds, target < 1 s)");
        output.WriteLine($"Deployment status -> TusServer status: median {Ms(Median(toStatus))}, max {Ms(toStatus.Max())} ({Rounds} rounds, target < 1 s)");
        output.WriteLine($"machine load: {LoadAverage()}");
        Assert.All(toDeployment.Concat(toStatus), latency => Assert.True(latency < LooseBound, $"{Ms(latency)} exceeds the loose bound"));
    }

    private static bool Ready(JsonObject? server) =>
        (server?["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().Any(c => (string?)c["type"] == "Ready" && (string?)c["status"] == "True") == true;

    /// <summary>Polls closely (1 ms) so the figure is the operator's, not the poll's; gives up at the loose bound.</summary>
    private static async Task<TimeSpan> UntilAsync(Func<bool> condition, Stopwatch clock)
    {
        while (!condition())
        {
            if (clock.Elapsed > LooseBound) return clock.Elapsed;
            await Task.Delay(1, TestContext.Current.CancellationToken);
        }

        return clock.Elapsed;
    }

    private static TimeSpan Median(List<TimeSpan> values) => values.Order().ElementAt(values.Count / 2);

    private static string Ms(TimeSpan value) => value.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";
}
