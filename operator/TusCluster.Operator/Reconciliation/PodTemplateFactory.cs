using System.Globalization;
using System.Text.Json.Nodes;
using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Reconciliation;

/// <summary>What the upload and sweeper pods share: hardened security contexts, config, secrets, volumes and the user's overrides.</summary>
internal static class PodTemplateFactory
{
    /// <summary>UID/GID of the non-root "app" user of the .NET runtime images the Dockerfiles build on.</summary>
    private const long AppUserId = 1654;

    public sealed record ContainerShape(
        string Component, string Name, string Image, string PullPolicy, int Port, JsonObject Resources,
        JsonArray ExtraEnv, int PreStopDelaySeconds, int TerminationGracePeriodSeconds);

    public static JsonObject Build(TusServer server, ContainerShape shape, string configHash)
    {
        var spec = server.Spec;
        var pod = spec.Pod;
        var annotations = new JsonObject { [Labels.ConfigHashAnnotation] = configHash };
        if (spec.Monitoring?.PrometheusScrapeAnnotations ?? true)
        {
            annotations["prometheus.io/scrape"] = "true";
            annotations["prometheus.io/port"] = (spec.Monitoring?.MetricsPort ?? shape.Port).ToString(CultureInfo.InvariantCulture);
            annotations["prometheus.io/path"] = spec.Monitoring?.MetricsPath ?? OperatorDefaults.MetricsPath;
        }

        foreach (var (key, value) in pod?.Annotations ?? new Dictionary<string, string>()) annotations[key] = value;
        var labels = ChildMetadata.CommonLabels(server, shape.Component);
        foreach (var (key, value) in pod?.Labels ?? new Dictionary<string, string>()) labels[key] = value;

        var podSpec = new JsonObject
        {
            ["serviceAccountName"] = ChildNames.ServiceAccount(server.Name),
            ["automountServiceAccountToken"] = false,
            ["enableServiceLinks"] = false,
            ["terminationGracePeriodSeconds"] = shape.TerminationGracePeriodSeconds,
            ["securityContext"] = new JsonObject
            {
                ["runAsNonRoot"] = true,
                ["runAsUser"] = AppUserId,
                ["runAsGroup"] = AppUserId,
                ["fsGroup"] = AppUserId,
                ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" },
            },
            ["containers"] = new JsonArray(Container(server, shape)),
            ["volumes"] = Volumes(spec, UploadTls(spec, shape)),
        };
        if (spec.ImagePullSecrets is { Count: > 0 } secrets)
        {
            podSpec["imagePullSecrets"] = new JsonArray(secrets.Select(s => (JsonNode)new JsonObject { ["name"] = s }).ToArray());
        }

        if (pod?.NodeSelector is { Count: > 0 } nodeSelector)
        {
            podSpec["nodeSelector"] = new JsonObject(nodeSelector.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
        }

        if (pod?.Tolerations is { Count: > 0 } tolerations) podSpec["tolerations"] = tolerations.DeepClone();
        if (pod?.Affinity is { } affinity) podSpec["affinity"] = affinity.DeepClone();
        if (pod?.TopologySpreadConstraints is { Count: > 0 } spread) podSpec["topologySpreadConstraints"] = spread.DeepClone();
        if (pod?.PriorityClassName is { Length: > 0 } priority) podSpec["priorityClassName"] = priority;

        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = labels, ["annotations"] = annotations },
            ["spec"] = podSpec,
        };
    }

    private static JsonObject Container(TusServer server, ContainerShape shape)
    {
        var spec = server.Spec;
        var env = SecretEnvironment.Build(spec);
        foreach (var extra in shape.ExtraEnv) env.Add(extra!.DeepClone());
        foreach (var extra in spec.Pod?.ExtraEnv ?? [])
        {
            var entry = new JsonObject { ["name"] = extra.Name };
            if (extra.Value is not null) entry["value"] = extra.Value;
            if (extra.ValueFrom is not null) entry["valueFrom"] = extra.ValueFrom.DeepClone();
            env.Add(entry);
        }

        var ports = new JsonArray(Port("http", shape.Port));
        if (spec.Monitoring?.MetricsPort is { } metricsPort) ports.Add(Port("metrics", metricsPort));
        var tls = UploadTls(spec, shape);
        if (tls is not null) ports.Add(Port("https", tls.Port ?? OperatorDefaults.HttpsPort));

        var container = new JsonObject
        {
            ["name"] = shape.Name,
            ["image"] = shape.Image,
            ["imagePullPolicy"] = shape.PullPolicy,
            ["ports"] = ports,
            ["envFrom"] = new JsonArray(new JsonObject { ["configMapRef"] = new JsonObject { ["name"] = ChildNames.Config(server.Name) } }),
            ["env"] = env,
            ["resources"] = shape.Resources,
            ["startupProbe"] = Probe("/healthz", periodSeconds: 2, failureThreshold: 30),
            ["livenessProbe"] = Probe("/healthz", periodSeconds: 10, failureThreshold: 3),
            ["readinessProbe"] = Probe("/readyz", periodSeconds: 5, failureThreshold: 2),
            ["securityContext"] = new JsonObject
            {
                ["allowPrivilegeEscalation"] = false,
                ["readOnlyRootFilesystem"] = true,
                ["runAsNonRoot"] = true,
                ["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") },
            },
            ["volumeMounts"] = VolumeMounts(spec, tls),
        };
        if (shape.PreStopDelaySeconds > 0)
        {
            // Lets endpoint controllers and load balancers drop the pod before SIGTERM makes it refuse requests.
            container["lifecycle"] = new JsonObject
            {
                ["preStop"] = new JsonObject
                {
                    ["exec"] = new JsonObject { ["command"] = new JsonArray("sleep", shape.PreStopDelaySeconds.ToString(CultureInfo.InvariantCulture)) },
                },
            };
        }

        return container;
    }

    private static JsonObject Port(string name, int port) => new()
    {
        ["name"] = name,
        ["containerPort"] = port,
        ["protocol"] = "TCP",
    };

    private static JsonObject Probe(string path, int periodSeconds, int failureThreshold) => new()
    {
        ["httpGet"] = new JsonObject { ["path"] = path, ["port"] = "http" },
        ["periodSeconds"] = periodSeconds,
        ["timeoutSeconds"] = 2,
        ["failureThreshold"] = failureThreshold,
    };

    /// <summary>Only the upload pods serve HTTPS; the sweeper's port carries health checks only.</summary>
    private static TlsSpec? UploadTls(TusServerSpec spec, ContainerShape shape) =>
        shape.Component == Labels.UploadComponent && spec.Server?.Tls is { SecretName.Length: > 0 } tls ? tls : null;

    private static JsonArray Volumes(TusServerSpec spec, TlsSpec? tls)
    {
        var volumes = new JsonArray(new JsonObject { ["name"] = "tmp", ["emptyDir"] = new JsonObject { ["sizeLimit"] = "1Gi" } });
        if (spec.Storage?.Provider == "FileSystem" && spec.Storage.FileSystem?.ClaimName is { } claim)
        {
            volumes.Add(new JsonObject
            {
                ["name"] = "data",
                ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = claim },
            });
        }

        if (tls is not null)
        {
            volumes.Add(new JsonObject { ["name"] = "tls", ["secret"] = new JsonObject { ["secretName"] = tls.SecretName } });
        }

        if (GcsKey(spec) is { } key)
        {
            volumes.Add(new JsonObject { ["name"] = "gcs-credentials", ["secret"] = new JsonObject { ["secretName"] = key.Name } });
        }

        S3CaCertificate.AddVolume(volumes, spec.Storage);
        return volumes;
    }

    private static JsonArray VolumeMounts(TusServerSpec spec, TlsSpec? tls)
    {
        var mounts = new JsonArray(new JsonObject { ["name"] = "tmp", ["mountPath"] = "/tmp" });
        if (spec.Storage?.Provider == "FileSystem" && spec.Storage.FileSystem is { ClaimName: not null } fs)
        {
            var mount = new JsonObject { ["name"] = "data", ["mountPath"] = OperatorDefaults.DataMountPath };
            if (fs.SubPath is { Length: > 0 } subPath) mount["subPath"] = subPath;
            mounts.Add(mount);
        }

        if (tls is not null)
        {
            mounts.Add(new JsonObject { ["name"] = "tls", ["mountPath"] = OperatorDefaults.TlsMountPath, ["readOnly"] = true });
        }

        if (GcsKey(spec) is not null)
        {
            mounts.Add(new JsonObject { ["name"] = "gcs-credentials", ["mountPath"] = OperatorDefaults.GcsCredentialsMountPath, ["readOnly"] = true });
        }

        S3CaCertificate.AddMount(mounts, spec.Storage);
        return mounts;
    }

    /// <summary>The Secret with the GCS service-account key file, mounted whole (never subPath) so a rotation reaches the file.</summary>
    internal static PasswordSecretRef? GcsKey(TusServerSpec spec) =>
        spec.Storage?.Provider == "Gcs" && spec.Storage.Gcs?.CredentialsSecretRef is { Name.Length: > 0 } key ? key : null;
}
