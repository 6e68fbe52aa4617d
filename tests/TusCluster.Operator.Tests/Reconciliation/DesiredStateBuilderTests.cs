using System.Text.Json.Nodes;
using TusCluster.Operator.Kubernetes;
using TusCluster.Operator.Reconciliation;

namespace TusCluster.Operator.Tests.Reconciliation;

public sealed class DesiredStateBuilderTests
{
    [Fact]
    public void Defaults_build_every_child_with_the_documented_values()
    {
        var state = DesiredStateBuilder.Build(TestServers.Server(TestServers.RedisOnS3()));

        Assert.True(state.IsValid, string.Join(" ", state.Errors));
        Assert.Equal(
            ["ServiceAccount/uploads", "ConfigMap/uploads-config", "Service/uploads", "Deployment/uploads", "Deployment/uploads-sweeper", "PodDisruptionBudget/uploads"],
            state.Objects.Select(o => $"{o["kind"]}/{o["metadata"]!["name"]}"));
        Assert.Contains((ResourceKind.HorizontalPodAutoscaler, "uploads"), state.Absent);
        Assert.Contains((ResourceKind.ServiceMonitor, "uploads"), state.Absent);

        var deployment = Upload(state);
        Assert.Equal(2, (int)deployment["spec"]!["replicas"]!);
        Assert.Equal("RollingUpdate", (string?)deployment["spec"]!["strategy"]!["type"]);
        Assert.Equal(0, (int)deployment["spec"]!["strategy"]!["rollingUpdate"]!["maxUnavailable"]!);
        var pod = deployment["spec"]!["template"]!["spec"]!;
        // preStop 5 + drain 20 + commit 5 + margin 5: the kubelet never kills a committing PATCH.
        Assert.Equal(35, (int)pod["terminationGracePeriodSeconds"]!);
        var container = pod["containers"]![0]!;
        Assert.Equal("ghcr.io/tuscluster/upload-service:0.1.0", (string?)container["image"]);
        Assert.Equal("/healthz", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/readyz", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
        Assert.Equal(["sleep", "5"], container["lifecycle"]!["preStop"]!["exec"]!["command"]!.AsArray().Select(n => (string?)n));
        Assert.True((bool)pod["securityContext"]!["runAsNonRoot"]!);
        Assert.True((bool)container["securityContext"]!["readOnlyRootFilesystem"]!);
        Assert.False((bool)container["securityContext"]!["allowPrivilegeEscalation"]!);
        Assert.Equal("ALL", (string?)container["securityContext"]!["capabilities"]!["drop"]![0]);
        Assert.Equal(8080, (int)container["ports"]![0]!["containerPort"]!);
        Assert.Equal("uploads-config", (string?)container["envFrom"]![0]!["configMapRef"]!["name"]);
        Assert.Equal(state.ConfigHash, (string?)deployment["spec"]!["template"]!["metadata"]!["annotations"]![Labels.ConfigHashAnnotation]);
        Assert.Equal("true", (string?)deployment["spec"]!["template"]!["metadata"]!["annotations"]!["prometheus.io/scrape"]);

        var service = Find(state, "Service", "uploads");
        Assert.Equal("ClusterIP", (string?)service["spec"]!["type"]);
        Assert.Equal(80, (int)service["spec"]!["ports"]![0]!["port"]!);
        Assert.Equal(1, (int)Find(state, "PodDisruptionBudget", "uploads")["spec"]!["maxUnavailable"]!);
        Assert.False((bool)Find(state, "ServiceAccount", "uploads")["automountServiceAccountToken"]!);
    }

    [Fact]
    public void Every_child_is_owned_by_the_TusServer_and_labelled()
    {
        var spec = TestServers.RedisOnS3().With("autoscaling.enabled", true).With("monitoring.serviceMonitor.enabled", true);
        var state = DesiredStateBuilder.Build(TestServers.Server(spec));

        Assert.Equal(8, state.Objects.Count);
        foreach (var obj in state.Objects)
        {
            var owner = obj["metadata"]!["ownerReferences"]![0]!;
            Assert.Equal("tuscluster.io/v1alpha1", (string?)owner["apiVersion"]);
            Assert.Equal("TusServer", (string?)owner["kind"]);
            Assert.Equal("uploads", (string?)owner["name"]);
            Assert.Equal("uid-1", (string?)owner["uid"]);
            Assert.True((bool)owner["controller"]!);
            Assert.Equal("media", (string?)obj["metadata"]!["namespace"]);
            Assert.Equal("tuscluster-operator", (string?)obj["metadata"]!["labels"]![Labels.ManagedBy]);
        }
    }

    [Fact]
    public void Redis_settings_use_the_service_keys_and_the_password_comes_from_a_secret()
    {
        var spec = TestServers.RedisOnS3()
            .With("coordination.redis.database", 3).With("coordination.redis.useTls", true).With("coordination.redis.leaseTtl", "00:00:07")
            .With("coordination.redis.user", "tus").With("coordination.redis.waitForReplicas", 1)
            .With("coordination.redis.waitTimeout", "00:00:00.250");
        var state = DesiredStateBuilder.Build(TestServers.Server(spec));
        var config = Config(state);

        Assert.Equal("Redis", config["TUS__COORDINATION__PROVIDER"]);
        Assert.Equal("redis.data:6379", config["TUS__COORDINATION__REDIS__ENDPOINT"]);
        Assert.Equal("3", config["TUS__COORDINATION__REDIS__DATABASE"]);
        Assert.Equal("true", config["TUS__COORDINATION__REDIS__USETLS"]);
        Assert.Equal("00:00:07", config["TUS__COORDINATION__REDIS__LEASETTL"]);
        Assert.Equal("tus", config["TUS__COORDINATION__REDIS__USER"]);
        Assert.Equal("1", config["TUS__COORDINATION__REDIS__WAITFORREPLICAS"]);
        Assert.Equal("00:00:00.250", config["TUS__COORDINATION__REDIS__WAITTIMEOUT"]);
        Assert.Equal("false", config["TUS__SWEEPER__ENABLED"]);
        Assert.DoesNotContain(config.Keys, k => k.Contains("PASSWORD", StringComparison.Ordinal) || k.Contains("SECRETKEY", StringComparison.Ordinal));
        var env = Env(Upload(state));
        Assert.Equal(("redis-auth", "password"), SecretRef(env, "TUS__COORDINATION__REDIS__PASSWORD"));
        Assert.Equal(("s3-creds", "accessKey"), SecretRef(env, "TUS__STORAGE__S3__ACCESSKEY"));
        Assert.Equal(("s3-creds", "secretKey"), SecretRef(env, "TUS__STORAGE__S3__SECRETKEY"));
        Assert.Equal("S3", config["TUS__STORAGE__PROVIDER"]);
        Assert.Equal("uploads", config["TUS__STORAGE__S3__BUCKET"]);
    }

    [Fact]
    public void Etcd_endpoints_are_indexed_and_the_volume_is_mounted_in_both_deployments()
    {
        var state = DesiredStateBuilder.Build(TestServers.Server(TestServers.EtcdOnVolume()));
        var config = Config(state);

        Assert.Equal("Etcd", config["TUS__COORDINATION__PROVIDER"]);
        Assert.Equal("http://etcd-0:2379", config["TUS__COORDINATION__ETCD__ENDPOINTS__0"]);
        Assert.Equal("http://etcd-1:2379", config["TUS__COORDINATION__ETCD__ENDPOINTS__1"]);
        Assert.Equal("tus", config["TUS__COORDINATION__ETCD__USERNAME"]);
        Assert.Equal("FileSystem", config["TUS__STORAGE__PROVIDER"]);
        Assert.Equal("/data/uploads", config["TUS__STORAGE__FILESYSTEM__ROOT"]);
        Assert.Equal(("etcd-auth", "pw"), SecretRef(Env(Upload(state)), "TUS__COORDINATION__ETCD__PASSWORD"));
        foreach (var deployment in new[] { Upload(state), Find(state, "Deployment", "uploads-sweeper") })
        {
            var pod = deployment["spec"]!["template"]!["spec"]!;
            Assert.Contains(pod["volumes"]!.AsArray(), v => (string?)v!["persistentVolumeClaim"]?["claimName"] == "uploads-data");
            var mount = pod["containers"]![0]!["volumeMounts"]!.AsArray().Single(m => (string?)m!["name"] == "data")!;
            Assert.Equal("/data", (string?)mount["mountPath"]);
            Assert.Equal("tus", (string?)mount["subPath"]);
        }

        Assert.Equal(3, (int)Upload(state)["spec"]!["replicas"]!);
    }

    [Fact]
    public void DynamoDb_settings_and_credentials()
    {
        var state = DesiredStateBuilder.Build(TestServers.Server(TestServers.DynamoDbOnS3()));
        var config = Config(state);

        Assert.Equal("DynamoDb", config["TUS__COORDINATION__PROVIDER"]);
        Assert.Equal("tus", config["TUS__COORDINATION__DYNAMODB__TABLENAME"]);
        Assert.Equal("eu-west-1", config["TUS__COORDINATION__DYNAMODB__REGION"]);
        Assert.Equal(("aws", "accessKey"), SecretRef(Env(Upload(state)), "TUS__COORDINATION__DYNAMODB__ACCESSKEY"));
        Assert.Equal(("aws", "secretKey"), SecretRef(Env(Upload(state)), "TUS__COORDINATION__DYNAMODB__SECRETKEY"));
        Assert.DoesNotContain(Env(Upload(state)), e => ((string?)e["name"])!.StartsWith("TUS__STORAGE__S3__", StringComparison.Ordinal));
    }

    [Fact]
    public void PostgreSql_settings_and_the_connection_string_from_its_secret()
    {
        var state = DesiredStateBuilder.Build(TestServers.Server(TestServers.PostgreSqlOnS3()));
        var config = Config(state);

        Assert.True(state.IsValid, string.Join(" ", state.Errors));
        Assert.Equal("PostgreSql", config["TUS__COORDINATION__PROVIDER"]);
        Assert.Equal("uploads", config["TUS__COORDINATION__POSTGRESQL__SCHEMA"]);
        Assert.Equal("true", config["TUS__COORDINATION__POSTGRESQL__CREATESCHEMA"]);
        Assert.False(config.ContainsKey("TUS__COORDINATION__POSTGRESQL__CONNECTIONSTRING"));
        Assert.Equal(("pg", "connectionString"), SecretRef(Env(Upload(state)), "TUS__COORDINATION__POSTGRESQL__CONNECTIONSTRING"));
        Assert.Equal("false", config["TUS__SWEEPER__ENABLED"]);
        Assert.DoesNotContain((ResourceKind.Deployment, "uploads-sweeper"), state.Absent);
    }

    [Fact]
    public void PostgreSql_without_a_connection_string_secret_is_refused()
    {
        var spec = TestServers.PostgreSqlOnS3();
        spec["coordination"]!["postgreSql"]!.AsObject().Remove("connectionStringSecretRef");

        var state = DesiredStateBuilder.Build(TestServers.Server(spec));

        Assert.False(state.IsValid);
        Assert.Contains(state.Errors, e => e.Contains("spec.coordination.postgreSql.connectionStringSecretRef", StringComparison.Ordinal));
    }

    [Fact]
    public void Embedded_sweeps_in_process_recreates_and_keeps_records_on_the_volume()
    {
        var state = DesiredStateBuilder.Build(TestServers.Server(TestServers.EmbeddedOnVolume()));
        var config = Config(state);

        Assert.True(state.IsValid, string.Join(" ", state.Errors));
        Assert.Equal("true", config["TUS__SWEEPER__ENABLED"]);
        Assert.Equal("/data/meta", config["TUS__COORDINATION__EMBEDDED__DIRECTORY"]);
        Assert.Contains((ResourceKind.Deployment, "uploads-sweeper"), state.Absent);
        Assert.Equal("Recreate", (string?)Upload(state)["spec"]!["strategy"]!["type"]);
    }

    [Fact]
    public void Sweeper_deployment_listens_on_8081_and_uses_the_same_configuration()
    {
        var spec = TestServers.RedisOnS3().With("sweeper.interval", "00:01:00").With("sweeper.image.tag", "0.2.0");
        var state = DesiredStateBuilder.Build(TestServers.Server(spec));
        var sweeper = Find(state, "Deployment", "uploads-sweeper");
        var container = sweeper["spec"]!["template"]!["spec"]!["containers"]![0]!;

        Assert.Equal("ghcr.io/tuscluster/sweeper:0.2.0", (string?)container["image"]);
        Assert.Equal(8081, (int)container["ports"]![0]!["containerPort"]!);
        Assert.Equal("http://0.0.0.0:8081", (string?)Env(sweeper).Single(e => (string?)e["name"] == "TUS__SERVER__URLS")["value"]);
        Assert.Equal("uploads-config", (string?)container["envFrom"]![0]!["configMapRef"]!["name"]);
        Assert.Equal("00:01:00", Config(state)["TUS__SWEEPER__INTERVAL"]);
        Assert.Equal(("redis-auth", "password"), SecretRef(Env(sweeper), "TUS__COORDINATION__REDIS__PASSWORD"));

        var disabled = DesiredStateBuilder.Build(TestServers.Server(TestServers.RedisOnS3().With("sweeper.enabled", false)));
        Assert.Contains((ResourceKind.Deployment, "uploads-sweeper"), disabled.Absent);
    }

    [Fact]
    public void Autoscaling_on_adds_an_HPA_and_leaves_the_replica_count_to_it()
    {
        var spec = TestServers.RedisOnS3().With("autoscaling.enabled", true).With("autoscaling.minReplicas", 3).With("autoscaling.maxReplicas", 12)
            .With("autoscaling.targetCPUUtilizationPercentage", 60);
        var state = DesiredStateBuilder.Build(TestServers.Server(spec));
        var hpa = Find(state, "HorizontalPodAutoscaler", "uploads");

        Assert.Null(Upload(state)["spec"]!["replicas"]);
        Assert.Equal(3, (int)hpa["spec"]!["minReplicas"]!);
        Assert.Equal(12, (int)hpa["spec"]!["maxReplicas"]!);
        Assert.Equal(60, (int)hpa["spec"]!["metrics"]![0]!["resource"]!["target"]!["averageUtilization"]!);
        Assert.Equal("uploads", (string?)hpa["spec"]!["scaleTargetRef"]!["name"]);
        Assert.DoesNotContain((ResourceKind.HorizontalPodAutoscaler, "uploads"), state.Absent);
    }

    [Fact]
    public void Config_hash_follows_configuration_and_secret_references_only()
    {
        var baseline = DesiredStateBuilder.Build(TestServers.Server(TestServers.RedisOnS3())).ConfigHash;
        var same = DesiredStateBuilder.Build(TestServers.Server(TestServers.RedisOnS3().With("replicas", 7))).ConfigHash;
        var newConfig = DesiredStateBuilder.Build(TestServers.Server(TestServers.RedisOnS3().With("limits.maxUploadSize", 1024))).ConfigHash;
        var newSecret = DesiredStateBuilder.Build(TestServers.Server(TestServers.RedisOnS3().With("coordination.redis.passwordSecretRef.name", "other"))).ConfigHash;

        Assert.Equal(baseline, same);
        Assert.NotEqual(baseline, newConfig);
        Assert.NotEqual(baseline, newSecret);
        Assert.NotEqual(newConfig, newSecret);
    }

    [Fact]
    public void Server_limits_expiration_and_extra_config_map_to_service_keys()
    {
        var spec = TestServers.RedisOnS3()
            .With("limits.maxUploadSize", 53687091200).With("limits.maxConcatParts", 250).With("limits.maxMetadataSize", 8192).With("limits.lockAcquireTimeout", "00:00:10")
            .With("expiration.unfinishedAfter", "2.00:00:00").With("expiration.tombstoneRetention", "00:00:00")
            .With("server.basePath", "/uploads/").With("server.trustedProxies", new JsonArray("10.0.0.0/8", "192.168.1.1"))
            .With("server.corsAllowedOrigins", new JsonArray("https://app.example.com"))
            .With("server.extraConfig", new JsonObject { ["Tus:ChecksumAlgorithms:0"] = "sha256", ["Tus:RetryAfter"] = "00:00:03" });
        var config = Config(DesiredStateBuilder.Build(TestServers.Server(spec)));

        Assert.Equal("53687091200", config["TUS__MAXUPLOADSIZE"]);
        Assert.Equal("250", config["TUS__MAXCONCATPARTS"]);
        Assert.Equal("8192", config["TUS__MAXMETADATASIZE"]);
        Assert.Equal("00:00:10", config["TUS__LOCKACQUIRETIMEOUT"]);
        Assert.Equal("2.00:00:00", config["TUS__EXPIRATION"]);
        Assert.Equal("00:00:00", config["TUS__TOMBSTONERETENTION"]);
        Assert.Equal("/uploads/", config["TUS__BASEPATH"]);
        Assert.Equal("10.0.0.0/8", config["TUS__TRUSTEDPROXIES__0"]);
        Assert.Equal("192.168.1.1", config["TUS__TRUSTEDPROXIES__1"]);
        Assert.Equal("https://app.example.com", config["TUS__CORS__ALLOWEDORIGINS__0"]);
        Assert.Equal("sha256", config["TUS__CHECKSUMALGORITHMS__0"]);
        Assert.Equal("00:00:03", config["TUS__RETRYAFTER"]);
        Assert.Equal("http://0.0.0.0:8080", config["TUS__SERVER__URLS"]);
        Assert.Equal("Json", config["TUS__LOGGING__FORMAT"]);
        Assert.Equal("true", config["TUS__METRICS__ENABLED"]);
    }

    [Fact]
    public void Max_concat_parts_is_written_only_when_set_so_extra_config_may_still_carry_it()
    {
        var unset = Config(DesiredStateBuilder.Build(TestServers.Server(TestServers.RedisOnS3())));
        var extra = DesiredStateBuilder.Build(TestServers.Server(TestServers.RedisOnS3().With("server.extraConfig", new JsonObject { ["Tus:MaxConcatParts"] = "20" })));

        // Unset, the service's own default (100) applies; a TusServer that set it through extraConfig
        // before the field existed stays valid.
        Assert.DoesNotContain("TUS__MAXCONCATPARTS", unset.Keys);
        Assert.True(extra.IsValid, string.Join(" ", extra.Errors));
        Assert.Equal("20", Config(extra)["TUS__MAXCONCATPARTS"]);
    }

    [Fact]
    public void Drain_and_commit_periods_set_the_termination_grace_period()
    {
        var spec = TestServers.RedisOnS3().With("server.drainPeriod", "00:01:00").With("server.commitGracePeriod", "00:00:10").With("server.preStopDelaySeconds", 0);
        var state = DesiredStateBuilder.Build(TestServers.Server(spec));
        var pod = Upload(state)["spec"]!["template"]!["spec"]!;

        Assert.Equal(75, (int)pod["terminationGracePeriodSeconds"]!);
        Assert.Null(pod["containers"]![0]!["lifecycle"]);
        Assert.Equal("00:01:00", Config(state)["TUS__SERVER__DRAINPERIOD"]);
    }

    [Fact]
    public void Pod_overrides_pass_through_to_both_deployments()
    {
        var spec = TestServers.RedisOnS3()
            .With("pod.nodeSelector", new JsonObject { ["disk"] = "ssd" })
            .With("pod.tolerations", new JsonArray(new JsonObject { ["key"] = "dedicated", ["operator"] = "Exists", ["effect"] = "NoSchedule" }))
            .With("pod.affinity", JsonNode.Parse("""{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"zone","operator":"In","values":["a"]}]}]}}}"""))
            .With("pod.extraEnv", new JsonArray(new JsonObject { ["name"] = "DOTNET_gcServer", ["value"] = "1" }))
            .With("pod.labels", new JsonObject { ["team"] = "media" })
            .With("pod.annotations", new JsonObject { ["example.com/owner"] = "media" })
            .With("service.type", "LoadBalancer").With("service.annotations", new JsonObject { ["lb"] = "nlb" });
        var state = DesiredStateBuilder.Build(TestServers.Server(spec));

        foreach (var deployment in new[] { Upload(state), Find(state, "Deployment", "uploads-sweeper") })
        {
            var template = deployment["spec"]!["template"]!;
            Assert.Equal("ssd", (string?)template["spec"]!["nodeSelector"]!["disk"]);
            Assert.Equal("dedicated", (string?)template["spec"]!["tolerations"]![0]!["key"]);
            Assert.NotNull(template["spec"]!["affinity"]!["nodeAffinity"]);
            Assert.Equal("1", (string?)Env(deployment).Single(e => (string?)e["name"] == "DOTNET_gcServer")["value"]);
            Assert.Equal("media", (string?)template["metadata"]!["labels"]!["team"]);
            Assert.Equal("media", (string?)template["metadata"]!["annotations"]!["example.com/owner"]);
        }

        var service = Find(state, "Service", "uploads");
        Assert.Equal("LoadBalancer", (string?)service["spec"]!["type"]);
        Assert.Equal("nlb", (string?)service["metadata"]!["annotations"]!["lb"]);
    }

    [Fact]
    public void ServiceMonitor_and_a_separate_metrics_port()
    {
        var spec = TestServers.RedisOnS3().With("monitoring.serviceMonitor.enabled", true).With("monitoring.metricsPort", 9090)
            .With("monitoring.serviceMonitor.labels", new JsonObject { ["release"] = "prometheus" });
        var state = DesiredStateBuilder.Build(TestServers.Server(spec));
        var monitor = Find(state, "ServiceMonitor", "uploads");

        Assert.Equal("metrics", (string?)monitor["spec"]!["endpoints"]![0]!["port"]);
        Assert.Equal("prometheus", (string?)monitor["metadata"]!["labels"]!["release"]);
        Assert.Contains(Find(state, "Service", "uploads")["spec"]!["ports"]!.AsArray(), p => (string?)p!["name"] == "metrics");
        Assert.Equal("9090", Config(state)["TUS__METRICS__PORT"]);
        Assert.Equal("9090", (string?)Upload(state)["spec"]!["template"]!["metadata"]!["annotations"]!["prometheus.io/port"]);
    }

    [Fact]
    public void Disruption_budget_min_available_or_disabled()
    {
        var min = DesiredStateBuilder.Build(TestServers.Server(TestServers.RedisOnS3().With("disruptionBudget.minAvailable", "50%")));
        Assert.Equal("50%", (string?)Find(min, "PodDisruptionBudget", "uploads")["spec"]!["minAvailable"]);
        Assert.Null(Find(min, "PodDisruptionBudget", "uploads")["spec"]!["maxUnavailable"]);

        var off = DesiredStateBuilder.Build(TestServers.Server(TestServers.RedisOnS3().With("disruptionBudget.enabled", false)));
        Assert.Contains((ResourceKind.PodDisruptionBudget, "uploads"), off.Absent);
    }

    public static TheoryData<string, string, string> InvalidSpecs() => new()
    {
        { "embedded-replicas", """{"replicas":3}""", "spec.replicas must be 0 or 1" },
        { "embedded-hpa", """{"autoscaling":{"enabled":true}}""", "cannot be autoscaled" },
        { "embedded-s3", """{"storage":{"provider":"S3","s3":{"bucket":"b"}}}""", "use spec.storage.provider FileSystem" },
        { "redis-missing", """{"coordination":{"provider":"Redis"}}""", "spec.coordination.redis (with an endpoint) is required" },
        { "etcd-missing", """{"coordination":{"provider":"Etcd"}}""", "spec.coordination.etcd.endpoints is required" },
        { "other-section", """{"coordination":{"provider":"Embedded","redis":{"endpoint":"r:6379"}}}""", "spec.coordination.redis is set but spec.coordination.provider is Embedded" },
        { "s3-missing", """{"storage":{"provider":"S3"},"coordination":{"provider":"Redis","redis":{"endpoint":"r:1"}},"replicas":2}""", "spec.storage.s3 is required" },
        { "fs-missing", """{"storage":{"provider":"FileSystem","fileSystem":null}}""", "spec.storage.fileSystem (a PersistentVolumeClaim) is required" },
        { "bad-duration", """{"server":{"drainPeriod":"25:00:00"}}""", "spec.server.drainPeriod '25:00:00' is not a duration" },
        { "zero-commit", """{"server":{"commitGracePeriod":"00:00:00"}}""", "commitGracePeriod must be positive" },
        { "extra-collision", """{"server":{"extraConfig":{"Tus:Coordination:Provider":"Redis"}}}""", "is set from another spec field" },
        { "extra-concat-collision", """{"limits":{"maxConcatParts":50},"server":{"extraConfig":{"Tus:MaxConcatParts":"60"}}}""", "'Tus:MaxConcatParts' is set from another spec field" },
        { "extra-bad-key", """{"server":{"extraConfig":{"Logging:LogLevel:Default":"Debug"}}}""", "must be a Tus configuration key" },
        { "bad-proxy", """{"server":{"trustedProxies":["10.0.0.0/33"]}}""", "is not an IP address or CIDR network" },
        { "env-duplicate", """{"pod":{"extraEnv":[{"name":"A","value":"1"},{"name":"A","value":"2"}]}}""", "spec.pod.extraEnv 'A' is set twice" },
        { "env-secret-collision", """{"pod":{"extraEnv":[{"name":"TUS__COORDINATION__REDIS__PASSWORD","value":"x"}]}}""", "collides with a variable the operator sets" },
        { "reserved-label", """{"pod":{"labels":{"app.kubernetes.io/instance":"x"}}}""", "must not set 'app.kubernetes.io/instance'" },
        { "metrics-port", """{"monitoring":{"metricsPort":8080}}""", "metricsPort must differ" },
        { "pdb-both", """{"disruptionBudget":{"minAvailable":1,"maxUnavailable":1}}""", "set minAvailable or maxUnavailable, not both" },
        { "no-coordination", """{"coordination":null}""", "spec.coordination.provider is required" },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void Invalid_combinations_build_nothing_and_say_why(string name, string patch, string expected)
    {
        var spec = TestServers.EmbeddedOnVolume();
        foreach (var (key, value) in JsonNode.Parse(patch)!.AsObject())
        {
            spec[key] = value is JsonObject obj && spec[key] is JsonObject existing ? Merge(existing, obj) : value?.DeepClone();
        }

        var state = DesiredStateBuilder.Build(TestServers.Server(spec, name: "u"));

        Assert.False(state.IsValid, name);
        Assert.Empty(state.Objects);
        Assert.Contains(state.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Autoscaling_min_above_max_and_missing_cpu_request_are_reported_together()
    {
        var spec = TestServers.RedisOnS3().With("autoscaling.enabled", true).With("autoscaling.minReplicas", 5).With("autoscaling.maxReplicas", 2)
            .With("resources", new JsonObject { ["requests"] = new JsonObject { ["memory"] = "1Gi" } });
        var state = DesiredStateBuilder.Build(TestServers.Server(spec));

        Assert.Equal(2, state.Errors.Count);
        Assert.Contains(state.Errors, e => e.Contains("minReplicas (5) must not exceed maxReplicas (2)", StringComparison.Ordinal));
        Assert.Contains(state.Errors, e => e.Contains("needs a CPU request", StringComparison.Ordinal));
    }

    [Fact]
    public void Tls_mounts_the_secret_in_the_upload_pods_only_and_serves_https_beside_http()
    {
        var state = DesiredStateBuilder.Build(TestServers.Server(TestServers.RedisOnS3().With("server.tls.secretName", "uploads-tls")));
        Assert.True(state.IsValid, string.Join(" ", state.Errors));
        var config = Config(state);

        Assert.Equal("/etc/tus/tls/tls.crt", config["TUS__SERVER__HTTPS__CERTIFICATEFILE"]);
        Assert.Equal("/etc/tus/tls/tls.key", config["TUS__SERVER__HTTPS__KEYFILE"]);
        Assert.Equal("8443", config["TUS__SERVER__HTTPS__PORT"]);
        Assert.Equal("http://0.0.0.0:8080", config["TUS__SERVER__URLS"]);
        var pod = Upload(state)["spec"]!["template"]!["spec"]!;
        Assert.Contains(pod["volumes"]!.AsArray(), v => (string?)v!["name"] == "tls" && (string?)v["secret"]?["secretName"] == "uploads-tls");
        var container = pod["containers"]![0]!;
        var mount = container["volumeMounts"]!.AsArray().Single(m => (string?)m!["name"] == "tls")!;
        Assert.Equal("/etc/tus/tls", (string?)mount["mountPath"]);
        Assert.True((bool)mount["readOnly"]!);
        Assert.Null(mount["subPath"]); // A subPath mount would never see a rotation.
        Assert.Contains(container["ports"]!.AsArray(), p => (string?)p!["name"] == "https" && (int)p["containerPort"]! == 8443);
        Assert.Equal("http", (string?)container["readinessProbe"]!["httpGet"]!["port"]);

        var sweeper = Find(state, "Deployment", "uploads-sweeper")["spec"]!["template"]!["spec"]!;
        Assert.DoesNotContain(sweeper["volumes"]!.AsArray(), v => (string?)v!["name"] == "tls");
        Assert.DoesNotContain(sweeper["containers"]![0]!["ports"]!.AsArray(), p => (string?)p!["name"] == "https");

        var service = Find(state, "Service", "uploads");
        Assert.Contains(service["spec"]!["ports"]!.AsArray(), p => (string?)p!["name"] == "https" && (int)p["port"]! == 443 && (string?)p["targetPort"] == "https");

        var withoutTls = DesiredStateBuilder.Build(TestServers.Server(TestServers.RedisOnS3()));
        Assert.DoesNotContain(Config(withoutTls).Keys, k => k.StartsWith("TUS__SERVER__HTTPS", StringComparison.Ordinal));
        Assert.DoesNotContain(Find(withoutTls, "Service", "uploads")["spec"]!["ports"]!.AsArray(), p => (string?)p!["name"] == "https");
    }

    [Fact]
    public void A_name_that_cannot_name_the_children_is_reported()
    {
        var state = DesiredStateBuilder.Build(TestServers.Server(TestServers.RedisOnS3(), name: new string('a', 41)));
        Assert.Contains(state.Errors, e => e.Contains("DNS-1035 label of at most 40", StringComparison.Ordinal));
    }

    [Fact]
    public void A_spec_of_the_wrong_types_is_reported_not_thrown()
    {
        var server = TestServers.Server(TestServers.RedisOnS3().With("replicas", "three"));
        var state = DesiredStateBuilder.Build(server);
        Assert.Contains(state.Errors, e => e.StartsWith("spec cannot be read", StringComparison.Ordinal));
    }

    private static JsonObject Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            target[key] = value is JsonObject obj && target[key] is JsonObject existing ? Merge(existing, obj) : value?.DeepClone();
        }

        return target;
    }

    internal static JsonObject Find(DesiredState state, string kind, string name) =>
        state.Objects.Single(o => (string?)o["kind"] == kind && (string?)o["metadata"]!["name"] == name);

    internal static JsonObject Upload(DesiredState state) => Find(state, "Deployment", "uploads");

    internal static Dictionary<string, string> Config(DesiredState state) =>
        Find(state, "ConfigMap", "uploads-config")["data"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!);

    private static List<JsonObject> Env(JsonObject deployment) =>
        deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray().Select(e => e!.AsObject()).ToList();

    private static (string?, string?) SecretRef(List<JsonObject> env, string name)
    {
        var reference = env.Single(e => (string?)e["name"] == name)["valueFrom"]!["secretKeyRef"]!;
        return ((string?)reference["name"], (string?)reference["key"]);
    }
}
