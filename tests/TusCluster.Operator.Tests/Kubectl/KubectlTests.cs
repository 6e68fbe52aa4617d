using System.Text.Json.Nodes;
using TusCluster.Operator.Tests.Schemas;

namespace TusCluster.Operator.Tests.Kubectl;

/// <summary>The operator driven the way users drive it: kubectl against the (fake) API server, the operator as a process.</summary>
public sealed class KubectlTests
{
    private const string Children = "deployments,services,configmaps,serviceaccounts,poddisruptionbudgets";

    [Fact]
    public async Task The_install_manifest_and_every_sample_apply_and_get_shows_the_printer_columns()
    {
        await using var cluster = await KubectlScenario.StartAsync();
        Assert.Contains("customresourcedefinition.apiextensions.k8s.io/tusservers.tuscluster.io created", cluster.Install.Output, StringComparison.Ordinal);
        Assert.Contains("deployment.apps/tuscluster-operator created", cluster.Install.Output, StringComparison.Ordinal);

        var samples = Directory.GetFiles(RepositoryPaths.Samples, "*.yaml").Order(StringComparer.Ordinal).ToList();
        var names = new List<string>();
        foreach (var sample in samples)
        {
            var applied = (await cluster.Kubectl.RunAsync("apply", "-f", sample)).Succeeded();
            var created = applied.Output.Split('\n').Single(l => l.StartsWith("tusserver.tuscluster.io/", StringComparison.Ordinal));
            Assert.EndsWith(" created", created, StringComparison.Ordinal);
            names.Add(created["tusserver.tuscluster.io/".Length..created.IndexOf(' ', StringComparison.Ordinal)]);
        }

        Assert.Equal(samples.Count, names.Count);
        await cluster.EventuallyAsync(() => names.All(n => cluster.Deployment(n) is not null), "every sample has its Deployment");
        foreach (var name in names) cluster.Api.CompleteRollout(KubectlScenario.Namespace, name);
        await cluster.EventuallyAsync(() => (int?)cluster.TusServer("uploads-etcd")?["status"]?["readyReplicas"] == 3, "the etcd sample reports 3 ready replicas");

        var table = (await cluster.Kubectl.RunAsync("get", "tusservers")).Succeeded().Rows();
        Assert.Equal(["NAME", "REPLICAS", "READY", "STORAGE", "COORDINATION", "AGE"], table[0]);
        Assert.Equal(names.Order(StringComparer.Ordinal), table.Skip(1).Select(r => r[0]));
        Assert.Equal(["uploads-etcd", "3", "3", "FileSystem", "Etcd"], table.Single(r => r[0] == "uploads-etcd")[..5]);
        Assert.Matches("^[0-9]+(s|m)", table.Single(r => r[0] == "uploads-etcd")[5]);

        var wide = (await cluster.Kubectl.RunAsync("get", "tusserver", "uploads-etcd", "-o", "wide")).Succeeded().Rows();
        Assert.Equal(["NAME", "REPLICAS", "READY", "STORAGE", "COORDINATION", "STATUS", "ENDPOINT", "AGE"], wide[0]);
        Assert.Equal("AllReplicasReady", wide[1][5]);
        Assert.StartsWith("http://uploads-etcd.media.svc", wide[1][6], StringComparison.Ordinal);

        // Client-side apply again: kubectl's three-way patch is empty against what the server stored.
        foreach (var sample in samples)
        {
            var again = (await cluster.Kubectl.RunAsync("apply", "-f", sample)).Succeeded();
            Assert.Contains(again.Output.Split('\n'), l => l.StartsWith("tusserver.tuscluster.io/", StringComparison.Ordinal) && l.EndsWith(" unchanged", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Kubectl_scale_reaches_the_Deployment_through_the_scale_subresource()
    {
        await using var cluster = await KubectlScenario.StartAsync();
        (await cluster.Kubectl.RunAsync("apply", "-f", Path.Combine(RepositoryPaths.Samples, "tusserver-etcd.yaml"))).Succeeded();
        await cluster.EventuallyAsync(() => (int?)cluster.Deployment("uploads-etcd")?["spec"]?["replicas"] == 3, "the Deployment has the sample's 3 replicas");

        var scaled = (await cluster.Kubectl.RunAsync("scale", "tusserver/uploads-etcd", "--replicas=5")).Succeeded();
        Assert.Contains("tusserver.tuscluster.io/uploads-etcd scaled", scaled.Output, StringComparison.Ordinal);

        await cluster.EventuallyAsync(() => (int?)cluster.Deployment("uploads-etcd")?["spec"]?["replicas"] == 5, "the Deployment is scaled to 5");
        Assert.Equal("5", (await cluster.Kubectl.RunAsync("get", "tusserver", "uploads-etcd", "-o", "jsonpath={.spec.replicas}")).Succeeded().Output);
        var scale = JsonNode.Parse((await cluster.Kubectl.RunAsync("get", "--raw", "/apis/tuscluster.io/v1alpha1/namespaces/media/tusservers/uploads-etcd/scale")).Succeeded().Output)!;
        Assert.Equal("Scale", (string?)scale["kind"]);
        Assert.Equal(5, (int?)scale["spec"]!["replicas"]);
    }

    [Fact]
    public async Task Kubectl_delete_cascades_to_everything_the_TusServer_owns()
    {
        await using var cluster = await KubectlScenario.StartAsync();
        (await cluster.Kubectl.RunAsync("apply", "-f", Path.Combine(RepositoryPaths.Samples, "tusserver-etcd.yaml"))).Succeeded();
        await cluster.EventuallyAsync(() => cluster.Deployment("uploads-etcd-sweeper") is not null, "the children exist");
        var owned = (await cluster.Kubectl.RunAsync("get", Children, "-l", "app.kubernetes.io/instance=uploads-etcd", "-o", "name")).Succeeded().Rows();
        Assert.Contains(["deployment.apps/uploads-etcd"], owned);
        Assert.Contains(["configmap/uploads-etcd-config"], owned);
        Assert.Contains(["service/uploads-etcd"], owned);

        var deleted = (await cluster.Kubectl.RunAsync("delete", "tusserver/uploads-etcd")).Succeeded();
        Assert.Contains("tusserver.tuscluster.io \"uploads-etcd\" deleted", deleted.Output, StringComparison.Ordinal);

        await cluster.EventuallyAsync(() => cluster.Deployment("uploads-etcd") is null, "the garbage collector removes the Deployment");
        Assert.Empty((await cluster.Kubectl.RunAsync("get", Children, "-l", "app.kubernetes.io/instance=uploads-etcd", "-o", "name")).Succeeded().Output.Trim());
        // The operator does not bring back what belonged to a TusServer that is gone.
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        Assert.Empty((await cluster.Kubectl.RunAsync("get", Children, "-l", "app.kubernetes.io/instance=uploads-etcd", "-o", "name")).Succeeded().Output.Trim());
        Assert.Equal(1, (await cluster.Kubectl.RunAsync("get", "tusserver", "uploads-etcd")).ExitCode);
    }

    [Fact]
    public async Task Server_side_apply_of_a_new_image_rolls_out_and_a_conflict_needs_force()
    {
        await using var cluster = await KubectlScenario.StartAsync();
        var first = cluster.Manifest("rolling.yaml", Rolling("0.1.0"));
        var applied = (await cluster.Kubectl.RunAsync("apply", "--server-side", "-f", first)).Succeeded();
        Assert.Contains("tusserver.tuscluster.io/rolling serverside-applied", applied.Output, StringComparison.Ordinal);
        await cluster.EventuallyAsync(() => KubectlScenario.Image(cluster.Deployment("rolling"))?.EndsWith(":0.1.0", StringComparison.Ordinal) == true, "the Deployment runs 0.1.0");
        var generation = (long)cluster.Deployment("rolling")!["metadata"]!["generation"]!;

        (await cluster.Kubectl.RunAsync("apply", "--server-side", "-f", cluster.Manifest("rolling.yaml", Rolling("0.2.0")))).Succeeded();
        await cluster.EventuallyAsync(() => KubectlScenario.Image(cluster.Deployment("rolling"))?.EndsWith(":0.2.0", StringComparison.Ordinal) == true, "the pod template moves to 0.2.0");
        Assert.True((long)cluster.Deployment("rolling")!["metadata"]!["generation"]! > generation, "a new pod template is a new Deployment generation");
        Assert.Equal("0.2.0", (await cluster.Kubectl.RunAsync("get", "tusserver", "rolling", "-o", "jsonpath={.spec.image.tag}")).Succeeded().Output);

        // kubectl scale took spec.replicas; applying the old count again conflicts until forced.
        (await cluster.Kubectl.RunAsync("scale", "tusserver/rolling", "--replicas=4")).Succeeded();
        var conflict = await cluster.Kubectl.RunAsync("apply", "--server-side", "-f", cluster.Manifest("rolling.yaml", Rolling("0.2.0")));
        Assert.NotEqual(0, conflict.ExitCode);
        // kubectl scale names no field manager: the server takes the user agent's program name ("kubectl", or "kubectl.1.33" for a versioned binary).
        Assert.Contains("conflict with \"kubectl", conflict.Error, StringComparison.Ordinal);
        Assert.Contains(".spec.replicas", conflict.Error, StringComparison.Ordinal);
        (await cluster.Kubectl.RunAsync("apply", "--server-side", "--force-conflicts", "-f", cluster.Manifest("rolling.yaml", Rolling("0.2.0")))).Succeeded();
        await cluster.EventuallyAsync(() => (int?)cluster.Deployment("rolling")?["spec"]?["replicas"] == 2, "the forced apply's 2 replicas reach the Deployment");
    }

    internal static string Rolling(string tag) => $"""
        apiVersion: tuscluster.io/v1alpha1
        kind: TusServer
        metadata:
          name: rolling
        spec:
          replicas: 2
          image:
            tag: "{tag}"
          storage:
            provider: S3
            s3: {"{"} bucket: uploads, region: eu-west-1 {"}"}
          coordination:
            provider: Redis
            redis: {"{"} endpoint: "redis.data:6379" {"}"}
        """;
}
