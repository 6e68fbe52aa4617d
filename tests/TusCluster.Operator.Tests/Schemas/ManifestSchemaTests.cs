using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TusCluster.Operator.Reconciliation;
using TusCluster.Operator.Status;
using TusCluster.Operator.Tests.Reconciliation;

namespace TusCluster.Operator.Tests.Schemas;

/// <summary>
/// Every manifest the operator builds, the install manifest, the CRD and the samples against the official
/// Kubernetes schemas (kubernetes-models) and TusServers against the CRD's own schema (ajv).
/// </summary>
public sealed class ManifestSchemaTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("manifests-").FullName;

    private static Dictionary<string, JsonObject> Specs() => new()
    {
        { "redis-s3", TestServers.RedisOnS3() },
        { "etcd-volume", TestServers.EtcdOnVolume() },
        { "dynamodb-s3", TestServers.DynamoDbOnS3() },
        { "postgresql-s3", TestServers.PostgreSqlOnS3() },
        { "embedded", TestServers.EmbeddedOnVolume() },
        { "s3-private-ca-configmap", TestServers.S3OnPrivateCa() },
        { "s3-private-ca-secret", TestServers.S3OnPrivateCa().With("storage.s3.caCertificateRef", new JsonObject { ["secretName"] = "minio-ca", ["key"] = "bundle.pem" }) },
        { "hpa-monitoring", TestServers.RedisOnS3().With("autoscaling.enabled", true).With("monitoring.serviceMonitor.enabled", true).With("monitoring.metricsPort", 9090) },
        {
            "everything", TestServers.EtcdOnVolume()
                .With("image.tag", "sha256:" + new string('a', 64)).With("imagePullSecrets", new JsonArray("registry"))
                .With("resources", JsonNode.Parse("""{"requests":{"cpu":"1","memory":"1Gi"},"limits":{"cpu":2,"memory":"2Gi"}}"""))
                .With("disruptionBudget.minAvailable", "50%").With("service.type", "NodePort").With("service.annotations", new JsonObject { ["a"] = "b" })
                .With("pod.nodeSelector", new JsonObject { ["disk"] = "ssd" })
                .With("pod.tolerations", JsonNode.Parse("""[{"key":"k","operator":"Equal","value":"v","effect":"NoExecute","tolerationSeconds":30}]"""))
                .With("pod.affinity", JsonNode.Parse("""{"podAntiAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":100,"podAffinityTerm":{"topologyKey":"kubernetes.io/hostname"}}]}}"""))
                .With("pod.topologySpreadConstraints", JsonNode.Parse("""[{"maxSkew":1,"topologyKey":"zone","whenUnsatisfiable":"ScheduleAnyway"}]"""))
                .With("pod.extraEnv", JsonNode.Parse("""[{"name":"A","value":"1"},{"name":"B","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}]"""))
                .With("limits.maxConcatParts", 1000).With("pod.priorityClassName", "high").With("sweeper.resources", JsonNode.Parse("""{"requests":{"cpu":"10m"}}"""))
        },
    };

    [Fact]
    public async Task Every_object_the_operator_builds_is_valid_Kubernetes()
    {
        // One validator run for every spec: loading the schemas costs node about a second.
        var expected = 0;
        foreach (var (name, spec) in Specs())
        {
            var server = TestServers.Server(spec, name: "uploads");
            var state = DesiredStateBuilder.Build(server);
            Assert.True(state.IsValid, $"{name}: {string.Join(" ", state.Errors)}");
            foreach (var obj in state.Objects) Write($"{name}-{obj["kind"]}-{obj["metadata"]!["name"]}.json", obj);

            // The TusServer itself with the status the operator writes must satisfy the CRD schema too.
            var status = StatusBuilder.Build(server, state, new ObservedState(null, null), DateTimeOffset.UtcNow);
            Write($"{name}-TusServer.json", new JsonObject
            {
                ["apiVersion"] = "tuscluster.io/v1alpha1",
                ["kind"] = "TusServer",
                ["metadata"] = new JsonObject { ["name"] = "uploads", ["namespace"] = "media" },
                ["spec"] = spec.DeepClone(),
                ["status"] = status,
            });
            expected += state.Objects.Count + 1;
        }

        var result = await NodeValidator.RunAsync("validate.mjs", "--crd", RepositoryPaths.Crd, _directory);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains($"{expected} passed, 0 failed", result.Lines);
        Assert.Contains(result.Lines, l => l.StartsWith("ok ", StringComparison.Ordinal) && l.EndsWith("ServiceMonitor/uploads", StringComparison.Ordinal));
        Assert.Contains(result.Lines, l => l.StartsWith("ok ", StringComparison.Ordinal) && l.EndsWith("HorizontalPodAutoscaler/uploads", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Install_manifest_CRD_and_samples_are_valid()
    {
        var result = await NodeValidator.RunAsync("validate.mjs", "--crd", RepositoryPaths.Crd, RepositoryPaths.InstallManifest, RepositoryPaths.Samples, Path.Combine(RepositoryPaths.Chart, "crds"));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains(result.Lines, l => l.StartsWith("ok ", StringComparison.Ordinal) && l.Contains("CustomResourceDefinition/tusservers.tuscluster.io", StringComparison.Ordinal));
        foreach (var sample in new[] { "uploads", "uploads-etcd", "uploads-aws", "uploads-single" })
        {
            Assert.Contains(result.Lines, l => l.StartsWith("ok ", StringComparison.Ordinal) && l.EndsWith($"TusServer/{sample}", StringComparison.Ordinal));
        }

        Assert.Contains(result.Lines, l => l.StartsWith("ok ", StringComparison.Ordinal) && l.EndsWith("Deployment/tuscluster-operator", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Lines, l => l.StartsWith("FAIL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_sample_builds_a_valid_desired_state()
    {
        foreach (var file in Directory.GetFiles(RepositoryPaths.Samples, "*.yaml"))
        {
            var json = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
            var tusServer = json.Split("\n---").Single(d => d.Contains("kind: TusServer", StringComparison.Ordinal));
            var spec = YamlToJson(tusServer)["spec"]!.AsObject();
            var state = DesiredStateBuilder.Build(TestServers.Server(spec));
            Assert.True(state.IsValid, $"{Path.GetFileName(file)}: {string.Join(" ", state.Errors)}");
        }
    }

    [Fact]
    public async Task Broken_manifests_fail_validation()
    {
        var server = TestServers.Server(TestServers.RedisOnS3());
        var state = DesiredStateBuilder.Build(server);
        var deployment = DesiredStateBuilderTests.Upload(state).DeepClone().AsObject();
        deployment["spec"]!["replicas"] = "three";
        Write("bad-deployment-replicas.json", deployment);
        var nameless = DesiredStateBuilderTests.Upload(state).DeepClone().AsObject();
        nameless["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject().Remove("name");
        Write("bad-deployment-container-name.json", nameless);
        var service = DesiredStateBuilderTests.Find(state, "Service", "uploads").DeepClone().AsObject();
        service["spec"]!["ports"]![0]!["protocol"] = 6;
        Write("bad-service-protocol.json", service);
        Write("bad-tusserver-field.json", TusServer(TestServers.RedisOnS3().With("coordination.redis.endpiont", "x:1")));
        Write("bad-tusserver-enum.json", TusServer(TestServers.RedisOnS3().With("coordination.provider", "Zookeeper")));
        Write("bad-tusserver-range.json", TusServer(TestServers.RedisOnS3().With("replicas", 5000)));
        Write("bad-tusserver-concat-parts-high.json", TusServer(TestServers.RedisOnS3().With("limits.maxConcatParts", 1001)));
        Write("bad-tusserver-concat-parts-zero.json", TusServer(TestServers.RedisOnS3().With("limits.maxConcatParts", 0)));
        Write("bad-tusserver-duration.json", TusServer(TestServers.RedisOnS3().With("server.drainPeriod", "20s")));
        Write("bad-tusserver-required.json", TusServer(TestServers.RedisOnS3().With("storage.s3.bucket", null)));
        Write("bad-tusserver-ca-key.json", TusServer(TestServers.S3OnPrivateCa().With("storage.s3.caCertificateRef.key", "certs/ca.crt")));
        var crd = YamlToJson(await File.ReadAllTextAsync(RepositoryPaths.Crd, TestContext.Current.CancellationToken));
        crd["metadata"]!["name"] = "broken.tuscluster.io";
        crd["spec"]!["group"] = "broken.tuscluster.io";
        crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["properties"]!["replicas"]!.AsObject().Remove("type");
        Write("bad-crd-untyped.json", crd);

        var result = await NodeValidator.RunAsync("validate.mjs", "--crd", RepositoryPaths.Crd, _directory);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("0 passed, 12 failed", result.Lines);
        Assert.Contains(result.Lines, l => l.Contains("bad-deployment-replicas", StringComparison.Ordinal) && l.Contains("/spec/replicas must be integer", StringComparison.Ordinal));
        Assert.Contains(result.Lines, l => l.Contains("bad-deployment-container-name", StringComparison.Ordinal) && l.Contains("name", StringComparison.Ordinal));
        Assert.Contains(result.Lines, l => l.Contains("bad-tusserver-field", StringComparison.Ordinal) && l.Contains("(endpiont)", StringComparison.Ordinal));
        Assert.Contains(result.Lines, l => l.Contains("bad-tusserver-range", StringComparison.Ordinal) && l.Contains("/spec/replicas must be <= 1000", StringComparison.Ordinal));
        Assert.Contains(result.Lines, l => l.Contains("bad-tusserver-concat-parts-high", StringComparison.Ordinal) && l.Contains("/spec/limits/maxConcatParts must be <= 1000", StringComparison.Ordinal));
        Assert.Contains(result.Lines, l => l.Contains("bad-tusserver-concat-parts-zero", StringComparison.Ordinal) && l.Contains("/spec/limits/maxConcatParts must be >= 1", StringComparison.Ordinal));
        Assert.Contains(result.Lines, l => l.Contains("bad-tusserver-ca-key", StringComparison.Ordinal) && l.Contains("/spec/storage/s3/caCertificateRef/key must match pattern", StringComparison.Ordinal));
        Assert.Contains(result.Lines, l => l.Contains("bad-crd-untyped", StringComparison.Ordinal) && l.Contains("replicas: no type", StringComparison.Ordinal));
    }

    [Fact]
    public void The_chart_CRD_is_identical_to_the_install_manifest_CRD()
    {
        var crd = File.ReadAllText(RepositoryPaths.Crd).Trim();
        var documents = File.ReadAllText(RepositoryPaths.InstallManifest).Split("\n---\n").Select(d => d.Trim());

        Assert.Contains(crd, documents);
    }

    [Fact]
    public void The_chart_grants_exactly_the_install_manifest_RBAC_rules()
    {
        static string Rules(string text, string kind)
        {
            var document = text.Split("\n---\n").Single(d => Regex.IsMatch(d, $"(?m)^kind: {kind}$"));
            return document[document.IndexOf("rules:", StringComparison.Ordinal)..].Trim();
        }

        var install = File.ReadAllText(RepositoryPaths.InstallManifest);
        var chart = File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "templates", "rbac.yaml"));

        Assert.Equal(Rules(install, "ClusterRole"), Rules(chart, "ClusterRole"));
        Assert.Equal(Rules(install, "Role"), Rules(chart, "Role"));
        Assert.DoesNotContain("\"*\"", Rules(install, "ClusterRole"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chart_values_match_the_values_schema_and_bad_values_do_not()
    {
        var bad = Path.Combine(_directory, "bad-values.yaml");
        await File.WriteAllTextAsync(bad, "replicaCount: many\nimage: { repository: x }\nserviceAccount: {}\ntusServer: { enabled: yes-please }\nmonitoring: {}\n", TestContext.Current.CancellationToken);

        var good = await NodeValidator.RunAsync("validate-values.mjs", Path.Combine(RepositoryPaths.Chart, "values.schema.json"), Path.Combine(RepositoryPaths.Chart, "values.yaml"));
        var broken = await NodeValidator.RunAsync("validate-values.mjs", Path.Combine(RepositoryPaths.Chart, "values.schema.json"), bad);

        Assert.True(good.ExitCode == 0, good.Output);
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("0 passed, 1 failed", broken.Lines);
    }

    [Fact]
    public void The_chart_ships_dashboards_and_alert_rules_from_their_folders()
    {
        var templates = Path.Combine(RepositoryPaths.Chart, "templates");
        var dashboards = File.ReadAllText(Path.Combine(templates, "dashboards.yaml"));
        var rules = File.ReadAllText(Path.Combine(templates, "prometheusrules.yaml"));

        Assert.Contains(".Files.Glob \"dashboards/*.json\"", dashboards, StringComparison.Ordinal);
        Assert.Contains("grafana_dashboard: \"1\"", File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "values.yaml")), StringComparison.Ordinal);
        Assert.Contains(".Files.Glob \"alerts/*.yaml\"", rules, StringComparison.Ordinal);
        Assert.Contains("kind: PrometheusRule", rules, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static JsonObject TusServer(JsonObject spec) => new()
    {
        ["apiVersion"] = "tuscluster.io/v1alpha1",
        ["kind"] = "TusServer",
        ["metadata"] = new JsonObject { ["name"] = "broken" },
        ["spec"] = spec,
    };

    private void Write(string name, JsonObject manifest) => File.WriteAllText(Path.Combine(_directory, name), manifest.ToJsonString());

    private static JsonObject YamlToJson(string yaml) => YamlJson.Parse(yaml);
}
