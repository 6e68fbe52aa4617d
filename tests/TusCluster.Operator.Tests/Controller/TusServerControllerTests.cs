using System.Text.Json.Nodes;
using TusCluster.Operator.Kubernetes;

namespace TusCluster.Operator.Tests.Controller;

public sealed class TusServerControllerTests
{
    private const string Core = "/api/v1";

    [Fact]
    public async Task Creates_every_child_with_one_field_manager_and_reports_Ready_when_the_rollout_completes()
    {
        await using var op = await OperatorHarness.StartAsync();
        op.Fake.CreateTusServer(OperatorHarness.Namespace, "uploads", TestServers.RedisOnS3());

        // The PodDisruptionBudget is applied last.
        await Eventually.HoldsAsync(() => op.Object("/apis/policy/v1", "poddisruptionbudgets", "uploads") is not null, "the PodDisruptionBudget exists");
        Assert.NotNull(op.Deployment("uploads-sweeper"));
        Assert.NotNull(op.Object(Core, "configmaps", "uploads-config"));
        Assert.NotNull(op.Object(Core, "services", "uploads"));
        Assert.NotNull(op.Object(Core, "serviceaccounts", "uploads"));
        Assert.All(op.Fake.Applies, a =>
        {
            Assert.Equal(ClusterApi.FieldManager, a.FieldManager);
            Assert.True(a.Force);
        });
        await Eventually.HoldsAsync(() => op.Condition("uploads", "Progressing") == "True", "Progressing is True while replicas are not ready");
        Assert.Equal("False", op.Condition("uploads", "Ready"));

        op.Fake.CompleteRollout(OperatorHarness.Namespace, "uploads");
        await Eventually.HoldsAsync(() => op.Condition("uploads", "Ready") == "True", "Ready is True");
        var status = op.TusServer("uploads")!["status"]!;
        Assert.Equal(2, (int)status["readyReplicas"]!);
        Assert.Equal(1, (long)status["observedGeneration"]!);
        Assert.Equal("http://uploads.media.svc/files/", (string?)status["endpoint"]);
        Assert.Equal("False", op.Condition("uploads", "Degraded"));
        Assert.Equal("AllReplicasReady", op.Condition("uploads", "Ready", "reason"));
    }

    [Fact]
    public async Task A_spec_change_rolls_the_pods_through_the_config_hash_and_a_scale_changes_replicas_only()
    {
        await using var op = await OperatorHarness.StartAsync();
        op.Fake.CreateTusServer(OperatorHarness.Namespace, "uploads", TestServers.RedisOnS3());
        await Eventually.HoldsAsync(() => op.ConfigHash("uploads") is not null, "the upload Deployment exists");
        var firstHash = op.ConfigHash("uploads");

        op.Fake.UpdateTusServerSpec(OperatorHarness.Namespace, "uploads", spec => spec.With("limits.maxUploadSize", 1048576).With("limits.maxConcatParts", 10));
        await Eventually.HoldsAsync(() => op.ConfigHash("uploads") != firstHash, "the config hash changes");
        Assert.Equal("1048576", (string?)op.Object(Core, "configmaps", "uploads-config")!["data"]!["TUS__MAXUPLOADSIZE"]);
        Assert.Equal("10", (string?)op.Object(Core, "configmaps", "uploads-config")!["data"]!["TUS__MAXCONCATPARTS"]);
        await Eventually.HoldsAsync(() => op.ConfigHash("uploads-sweeper") == op.ConfigHash("uploads"), "the sweeper rolls with the same hash");

        var secondHash = op.ConfigHash("uploads");
        op.Fake.UpdateTusServerSpec(OperatorHarness.Namespace, "uploads", spec => spec["replicas"] = 5);
        await Eventually.HoldsAsync(() => (int?)op.Deployment("uploads")!["spec"]!["replicas"] == 5, "the Deployment is scaled to 5");
        Assert.Equal(secondHash, op.ConfigHash("uploads"));

        op.Fake.CompleteRollout(OperatorHarness.Namespace, "uploads");
        await Eventually.HoldsAsync(() => (int?)op.TusServer("uploads")!["status"]?["readyReplicas"] == 5, "status reports 5 ready replicas");
        Assert.Equal(3, (long)op.TusServer("uploads")!["status"]!["observedGeneration"]!);
    }

    [Fact]
    public async Task Autoscaling_adds_the_HPA_and_turning_it_off_deletes_it()
    {
        await using var op = await OperatorHarness.StartAsync();
        op.Fake.CreateTusServer(OperatorHarness.Namespace, "uploads", TestServers.RedisOnS3().With("autoscaling.enabled", true));
        await Eventually.HoldsAsync(() => op.Object("/apis/autoscaling/v2", "horizontalpodautoscalers", "uploads") is not null, "the HPA exists");
        Assert.DoesNotContain(op.Fake.Applies, a => a.Kind == "Deployment" && a.Name == "uploads" && a.Body["spec"]!["replicas"] is not null);

        op.Fake.UpdateTusServerSpec(OperatorHarness.Namespace, "uploads", spec => spec.With("autoscaling.enabled", false));
        await Eventually.HoldsAsync(() => op.Object("/apis/autoscaling/v2", "horizontalpodautoscalers", "uploads") is null, "the HPA is deleted");
        await Eventually.HoldsAsync(() => (int?)op.Deployment("uploads")!["spec"]!["replicas"] == 2, "the Deployment owns its replica count again");
    }

    [Fact]
    public async Task An_invalid_spec_is_reported_as_Degraded_and_applies_nothing()
    {
        await using var op = await OperatorHarness.StartAsync();
        op.Fake.CreateTusServer(OperatorHarness.Namespace, "single", TestServers.EmbeddedOnVolume().With("replicas", 3));

        await Eventually.HoldsAsync(() => op.Condition("single", "Degraded") == "True", "Degraded is True");
        Assert.Equal("InvalidSpec", op.Condition("single", "Degraded", "reason"));
        Assert.Contains("spec.replicas must be 0 or 1", op.Condition("single", "Degraded", "message"), StringComparison.Ordinal);
        Assert.Empty(op.Fake.Applies);

        // Fixing the spec recovers without a restart.
        op.Fake.UpdateTusServerSpec(OperatorHarness.Namespace, "single", spec => spec["replicas"] = 1);
        await Eventually.HoldsAsync(() => op.Condition("single", "Degraded") == "False", "Degraded clears");
        Assert.NotNull(op.Deployment("single"));
    }

    [Fact]
    public async Task Converges_after_409_answers_on_apply()
    {
        await using var op = await OperatorHarness.StartAsync(fake => fake.FailNextApplies(3));
        op.Fake.CreateTusServer(OperatorHarness.Namespace, "uploads", TestServers.RedisOnS3());

        await Eventually.HoldsAsync(() => op.Deployment("uploads") is not null, "the Deployment exists despite conflicts");
        Assert.True(op.Fake.Applies.Count > 3);
    }

    [Fact]
    public async Task Converges_after_the_watch_answers_410_by_listing_again()
    {
        await using var op = await OperatorHarness.StartAsync(fake => fake.FailNextWatchesWithGone(2));
        await Eventually.HoldsAsync(() => op.Fake.WatchRequests >= 3, "the operator watches again after two 410s");
        Assert.True(op.Fake.ListRequests >= 3, $"expected a re-list per 410, saw {op.Fake.ListRequests} lists");

        op.Fake.CreateTusServer(OperatorHarness.Namespace, "uploads", TestServers.RedisOnS3());
        await Eventually.HoldsAsync(() => op.Deployment("uploads") is not null, "the new TusServer is reconciled");
    }

    [Fact]
    public async Task Converges_when_the_watch_connection_keeps_dropping()
    {
        await using var op = await OperatorHarness.StartAsync(fake => fake.DropWatchesAfter(1));
        op.Fake.CreateTusServer(OperatorHarness.Namespace, "a", TestServers.RedisOnS3());
        op.Fake.CreateTusServer(OperatorHarness.Namespace, "b", TestServers.EtcdOnVolume());
        op.Fake.CreateTusServer(OperatorHarness.Namespace, "c", TestServers.DynamoDbOnS3());

        await Eventually.HoldsAsync(() => op.Deployment("a") is not null && op.Deployment("b") is not null && op.Deployment("c") is not null, "all three are reconciled");
        op.Fake.UpdateTusServerSpec(OperatorHarness.Namespace, "b", spec => spec["replicas"] = 4);
        await Eventually.HoldsAsync(() => (int?)op.Deployment("b")!["spec"]!["replicas"] == 4, "a change made while watches drop is applied");
        Assert.True(op.Fake.WatchRequests >= 2);
        // A dropped watch resumes from the last resource version it saw: one list per watched kind, no more.
        Assert.Equal(4, op.Fake.ListRequests);
    }

    [Fact]
    public async Task A_ServiceMonitor_without_its_CRD_is_Degraded_not_a_crash_loop()
    {
        await using var op = await OperatorHarness.StartAsync();
        op.Fake.RejectKind("servicemonitors");
        op.Fake.CreateTusServer(OperatorHarness.Namespace, "uploads", TestServers.RedisOnS3().With("monitoring.serviceMonitor.enabled", true));

        await Eventually.HoldsAsync(() => op.Condition("uploads", "Degraded") == "True", "Degraded is True");
        Assert.Equal("ApplyFailed", op.Condition("uploads", "Degraded", "reason"));
        Assert.Contains("ServiceMonitor", op.Condition("uploads", "Degraded", "message"), StringComparison.Ordinal);
        Assert.NotNull(op.Deployment("uploads"));
    }

    [Fact]
    public async Task Status_is_not_rewritten_when_nothing_changed()
    {
        await using var op = await OperatorHarness.StartAsync();
        op.Fake.CreateTusServer(OperatorHarness.Namespace, "uploads", TestServers.RedisOnS3());
        await Eventually.HoldsAsync(() => op.Deployment("uploads") is not null, "the Deployment exists");
        op.Fake.CompleteRollout(OperatorHarness.Namespace, "uploads");
        await Eventually.HoldsAsync(() => op.Condition("uploads", "Ready") == "True", "Ready is True");

        var patches = op.Fake.StatusPatches;
        // A spec change that leaves the Deployments alone (only the PDB changes): a no-op write would not move the generation.
        op.Fake.UpdateTusServerSpec(OperatorHarness.Namespace, "uploads", spec => spec.With("disruptionBudget.maxUnavailable", 1));
        await Eventually.HoldsAsync(() => (long?)op.TusServer("uploads")!["status"]!["observedGeneration"] == 2, "the new generation is observed");
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Equal(patches + 1, op.Fake.StatusPatches);
    }

    [Fact]
    public async Task Deleting_the_TusServer_leaves_cleanup_to_owner_references_and_deletes_nothing_itself()
    {
        await using var op = await OperatorHarness.StartAsync();
        op.Fake.CreateTusServer(OperatorHarness.Namespace, "uploads", TestServers.EtcdOnVolume());
        await Eventually.HoldsAsync(() => op.Deployment("uploads-sweeper") is not null, "the children exist");
        var uid = (string?)op.TusServer("uploads")!["metadata"]!["uid"];
        Assert.All(op.Fake.Applies, a => Assert.Equal(uid, (string?)a.Body["metadata"]!["ownerReferences"]![0]!["uid"]));

        var deletes = op.Fake.Deletes;
        op.Fake.DeleteTusServer(OperatorHarness.Namespace, "uploads");

        // A reconcile that read the TusServer just before the delete may still finish (on a loaded machine, later
        // than any fixed pause); after that, silence: no apply for a whole second.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var applies = op.Fake.Applies.Count;
            await Task.Delay(1000, TestContext.Current.CancellationToken);
            if (applies == op.Fake.Applies.Count) break;
            Assert.True(DateTime.UtcNow < deadline, "the operator kept applying for 30 s after the TusServer was deleted");
        }

        Assert.Equal(deletes, op.Fake.Deletes);
        // The garbage collector (the fake's, following the owner references) removed the children.
        Assert.Null(op.Object(Core, "configmaps", "uploads-config"));
        Assert.Null(op.Deployment("uploads-sweeper"));
    }
}
