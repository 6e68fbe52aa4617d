using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using TusCluster.Operator.Reconciliation;
using TusCluster.Operator.Status;

namespace TusCluster.Operator.Tests.Reconciliation;

public sealed class StatusBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void All_replicas_ready_on_the_current_config_is_Ready_and_not_Progressing()
    {
        var server = TestServers.Server(TestServers.RedisOnS3());
        var desired = DesiredStateBuilder.Build(server);
        var status = StatusBuilder.Build(server, desired, new ObservedState(Deployment(desired.ConfigHash, ready: 2), null), Now);

        Assert.Equal(("True", "AllReplicasReady"), Condition(status, "Ready"));
        Assert.Equal(("False", "RolledOut"), Condition(status, "Progressing"));
        Assert.Equal(("False", "AsExpected"), Condition(status, "Degraded"));
        Assert.Equal(2, (int)status["readyReplicas"]!);
        Assert.Equal(3, (long)status["observedGeneration"]!);
        Assert.Equal("http://uploads.media.svc/files/", (string?)status["endpoint"]);
        Assert.Equal("app.kubernetes.io/name=tuscluster,app.kubernetes.io/instance=uploads,app.kubernetes.io/component=upload", (string?)status["selector"]);
    }

    [Fact]
    public void Old_config_hash_or_missing_replicas_is_Progressing_and_not_Ready()
    {
        var server = TestServers.Server(TestServers.RedisOnS3());
        var desired = DesiredStateBuilder.Build(server);

        var stale = StatusBuilder.Build(server, desired, new ObservedState(Deployment("old-hash", ready: 2), null), Now);
        Assert.Equal(("False", "ReplicasNotReady"), Condition(stale, "Ready"));
        Assert.Equal(("True", "RollingOut"), Condition(stale, "Progressing"));

        var partial = StatusBuilder.Build(server, desired, new ObservedState(Deployment(desired.ConfigHash, ready: 1), null), Now);
        Assert.Equal(("False", "ReplicasNotReady"), Condition(partial, "Ready"));
    }

    [Fact]
    public void Invalid_spec_and_apply_failures_are_Degraded_with_the_reason()
    {
        var invalidServer = TestServers.Server(TestServers.EmbeddedOnVolume().With("replicas", 4));
        var invalid = StatusBuilder.Build(invalidServer, DesiredStateBuilder.Build(invalidServer), new ObservedState(null, null), Now);
        Assert.Equal(("True", "InvalidSpec"), Condition(invalid, "Degraded"));
        Assert.Contains("spec.replicas must be 0 or 1", Message(invalid, "Degraded"), StringComparison.Ordinal);

        var server = TestServers.Server(TestServers.RedisOnS3());
        var failed = StatusBuilder.Build(server, DesiredStateBuilder.Build(server), new ObservedState(null, "Deployment uploads was rejected"), Now);
        Assert.Equal(("True", "ApplyFailed"), Condition(failed, "Degraded"));
        Assert.Equal(("False", "ApplyFailed"), Condition(failed, "Ready"));
    }

    [Fact]
    public void Transition_time_is_kept_while_a_condition_keeps_its_status()
    {
        var server = TestServers.Server(TestServers.RedisOnS3());
        var desired = DesiredStateBuilder.Build(server);
        var first = StatusBuilder.Build(server, desired, new ObservedState(Deployment(desired.ConfigHash, ready: 2), null), Now);
        var withStatus = server with { Status = first };

        var again = StatusBuilder.Build(withStatus, desired, new ObservedState(Deployment(desired.ConfigHash, ready: 2), null), Now.AddHours(1));
        Assert.True(JsonNode.DeepEquals(first, again));

        var changed = StatusBuilder.Build(withStatus, desired, new ObservedState(Deployment(desired.ConfigHash, ready: 0), null), Now.AddHours(1));
        var ready = changed["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "Ready")!;
        Assert.Equal("2026-11-21T13:00:00Z", (string?)ready["lastTransitionTime"]);
    }

    private static V1Deployment Deployment(string hash, int ready) => KubernetesJson.Deserialize<V1Deployment>($$"""
        {
          "metadata": { "name": "uploads", "generation": 4 },
          "spec": { "replicas": 2, "template": { "metadata": { "annotations": { "tuscluster.io/config-hash": "{{hash}}" } } } },
          "status": { "observedGeneration": 4, "replicas": 2, "updatedReplicas": 2, "readyReplicas": {{ready}} }
        }
        """);

    private static (string?, string?) Condition(JsonObject status, string type)
    {
        var condition = status["conditions"]!.AsArray().Single(c => (string?)c!["type"] == type)!;
        return ((string?)condition["status"], (string?)condition["reason"]);
    }

    private static string Message(JsonObject status, string type) =>
        (string)status["conditions"]!.AsArray().Single(c => (string?)c!["type"] == type)!["message"]!;
}
