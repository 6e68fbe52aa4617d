using System.Net;
using System.Text.RegularExpressions;
using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Reconciliation;

/// <summary>
/// Checks what the CRD schema cannot express: combinations of fields. Every problem is reported
/// (not just the first), and a spec with problems is never applied: it becomes a Degraded condition.
/// </summary>
internal static partial class SpecValidator
{
    /// <summary>Variables the operator puts in the containers' env list; a duplicate name would make the apply fail.</summary>
    private static readonly HashSet<string> ReservedEnvNames = new(StringComparer.Ordinal)
    {
        "TUS__SERVER__URLS",
        "TUS__STORAGE__S3__ACCESSKEY", "TUS__STORAGE__S3__SECRETKEY", "TUS__COORDINATION__REDIS__PASSWORD",
        "TUS__COORDINATION__ETCD__PASSWORD", "TUS__COORDINATION__DYNAMODB__ACCESSKEY", "TUS__COORDINATION__DYNAMODB__SECRETKEY",
    };

    public static IReadOnlyList<string> Validate(TusServer server)
    {
        var errors = new List<string>();
        var spec = server.Spec;
        if (server.Name.Length > ChildNames.MaxServerNameLength || !Dns1035().IsMatch(server.Name))
        {
            errors.Add($"metadata.name '{server.Name}' must be a DNS-1035 label of at most {ChildNames.MaxServerNameLength} characters (it names the Service and Deployments).");
        }

        ValidateStorage(spec, errors);
        ValidateCoordination(spec, errors);
        ValidateScaling(spec, errors);
        ValidateDurations(spec, errors);
        ValidateServer(spec, errors);
        ValidatePod(spec, errors);
        if (spec.Monitoring?.MetricsPort is OperatorDefaults.UploadPort or OperatorDefaults.SweeperPort)
        {
            errors.Add($"spec.monitoring.metricsPort must differ from the service ports {OperatorDefaults.UploadPort} and {OperatorDefaults.SweeperPort}.");
        }

        return errors;
    }

    private static void ValidateStorage(TusServerSpec spec, List<string> errors)
    {
        var storage = spec.Storage;
        switch (storage?.Provider)
        {
            case null:
                errors.Add("spec.storage.provider is required (S3, FileSystem, Azure or Gcs).");
                return;
            case "S3":
                if (storage.S3 is null) errors.Add("spec.storage.s3 is required when spec.storage.provider is S3.");
                break;
            case "FileSystem":
                if (storage.FileSystem is null) errors.Add("spec.storage.fileSystem (a PersistentVolumeClaim) is required when spec.storage.provider is FileSystem.");
                break;
            case "Azure":
                if (storage.Azure?.Container is not { Length: > 0 }) errors.Add("spec.storage.azure.container is required when spec.storage.provider is Azure.");
                if ((storage.Azure?.AccountUrl is { Length: > 0 }) == (storage.Azure?.ConnectionStringSecretRef?.Name is { Length: > 0 }))
                {
                    errors.Add("spec.storage.azure needs exactly one of accountUrl (signed in with the pod's Azure identity) and connectionStringSecretRef.");
                }

                break;
            case "Gcs":
                if (storage.Gcs?.Bucket is not { Length: > 0 }) errors.Add("spec.storage.gcs.bucket is required when spec.storage.provider is Gcs.");
                break;
            default:
                errors.Add($"spec.storage.provider '{storage.Provider}' is not supported; use S3, FileSystem, Azure or Gcs.");
                return;
        }

        foreach (var (name, section) in new (string, object?)[] { ("s3", storage.S3), ("fileSystem", storage.FileSystem), ("azure", storage.Azure), ("gcs", storage.Gcs) })
        {
            if (section is not null && !string.Equals(name, storage.Provider, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"spec.storage.{name} is set but spec.storage.provider is {storage.Provider}; remove one of them.");
            }
        }
    }

    private static void ValidateCoordination(TusServerSpec spec, List<string> errors)
    {
        var c = spec.Coordination;
        var provider = c?.Provider;
        if (provider is null)
        {
            errors.Add("spec.coordination.provider is required (Embedded, Redis, Etcd, DynamoDb, PostgreSql or S3).");
            return;
        }

        if (provider is not ("Embedded" or "Redis" or "Etcd" or "DynamoDb" or "PostgreSql" or "S3"))
        {
            errors.Add($"spec.coordination.provider '{provider}' is not supported; use Embedded, Redis, Etcd, DynamoDb, PostgreSql or S3.");
            return;
        }

        if (provider == "Redis" && c!.Redis is null) errors.Add("spec.coordination.redis (with an endpoint) is required when the provider is Redis.");
        if (provider == "Etcd" && (c!.Etcd?.Endpoints is not { Count: > 0 })) errors.Add("spec.coordination.etcd.endpoints is required when the provider is Etcd.");
        if (provider == "PostgreSql" && c!.PostgreSql?.ConnectionStringSecretRef?.Name is null)
        {
            errors.Add("spec.coordination.postgreSql.connectionStringSecretRef (a Secret holding the Npgsql connection string) is required when the provider is PostgreSql.");
        }

        if (provider == "S3" && spec.Storage?.Provider != "S3")
        {
            errors.Add("S3 coordination uses the S3 store's endpoint, region and credentials: it needs spec.storage.provider S3.");
        }

        foreach (var (name, section) in new (string, object?)[] { ("embedded", c!.Embedded), ("redis", c.Redis), ("etcd", c.Etcd), ("dynamoDb", c.DynamoDb), ("postgreSql", c.PostgreSql), ("s3", c.S3) })
        {
            if (section is not null && !string.Equals(name, provider, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"spec.coordination.{name} is set but spec.coordination.provider is {provider}; remove one of them.");
            }
        }

        if (provider != "Embedded") return;
        if ((spec.Replicas ?? OperatorDefaults.Replicas) > 1)
        {
            errors.Add($"Embedded coordination keeps locks in one process: spec.replicas must be 0 or 1 (got {spec.Replicas ?? OperatorDefaults.Replicas}); use Redis, Etcd or DynamoDb for more replicas.");
        }

        if (spec.Autoscaling?.Enabled == true) errors.Add("Embedded coordination cannot be autoscaled: disable spec.autoscaling or use Redis, Etcd or DynamoDb.");
        if (spec.Storage?.Provider is "S3" or "Azure" or "Gcs")
        {
            errors.Add("Embedded coordination keeps upload records on the storage volume: use spec.storage.provider FileSystem with it, or a shared coordination backend with object storage.");
        }
    }

    private static void ValidateScaling(TusServerSpec spec, List<string> errors)
    {
        var a = spec.Autoscaling;
        if (a?.Enabled == true)
        {
            var min = a.MinReplicas ?? OperatorDefaults.AutoscalingMinReplicas;
            var max = a.MaxReplicas ?? OperatorDefaults.AutoscalingMaxReplicas;
            if (min > max) errors.Add($"spec.autoscaling.minReplicas ({min}) must not exceed maxReplicas ({max}).");
            if (spec.Resources is not null && spec.Resources["requests"]?["cpu"] is null)
            {
                errors.Add("spec.autoscaling needs a CPU request: set spec.resources.requests.cpu (or leave spec.resources unset for the defaults).");
            }
        }

        var pdb = spec.DisruptionBudget;
        if (pdb?.MinAvailable is not null && pdb.MaxUnavailable is not null)
        {
            errors.Add("spec.disruptionBudget: set minAvailable or maxUnavailable, not both.");
        }
    }

    private static void ValidateDurations(TusServerSpec spec, List<string> errors)
    {
        var r = spec.Coordination?.Redis;
        var e = spec.Coordination?.Etcd;
        var d = spec.Coordination?.DynamoDb;
        var s = spec.Sweeper;
        (string Path, string? Value)[] durations =
        [
            ("spec.coordination.redis.leaseTtl", r?.LeaseTtl), ("spec.coordination.redis.connectTimeout", r?.ConnectTimeout),
            ("spec.coordination.redis.commandTimeout", r?.CommandTimeout), ("spec.coordination.etcd.leaseTtl", e?.LeaseTtl),
            ("spec.coordination.etcd.requestTimeout", e?.RequestTimeout), ("spec.coordination.dynamoDb.leaseTtl", d?.LeaseTtl),
            ("spec.coordination.dynamoDb.handOverPollInterval", d?.HandOverPollInterval), ("spec.coordination.dynamoDb.requestTimeout", d?.RequestTimeout),
            ("spec.limits.lockAcquireTimeout", spec.Limits?.LockAcquireTimeout), ("spec.expiration.unfinishedAfter", spec.Expiration?.UnfinishedAfter),
            ("spec.expiration.tombstoneRetention", spec.Expiration?.TombstoneRetention), ("spec.server.drainPeriod", spec.Server?.DrainPeriod),
            ("spec.server.commitGracePeriod", spec.Server?.CommitGracePeriod), ("spec.sweeper.interval", s?.Interval),
            ("spec.sweeper.finishedRetention", s?.FinishedRetention), ("spec.sweeper.orphanGracePeriod", s?.OrphanGracePeriod),
        ];
        foreach (var (path, value) in durations)
        {
            if (value is not null && (!Duration.TryParse(value, out var parsed) || parsed < TimeSpan.Zero))
            {
                errors.Add($"{path} '{value}' is not a duration like 00:00:05 or 1.00:00:00.");
            }
        }

        if (Duration.TryParse(spec.Server?.CommitGracePeriod, out var commit) && commit <= TimeSpan.Zero)
        {
            errors.Add("spec.server.commitGracePeriod must be positive.");
        }
    }

    private static void ValidateServer(TusServerSpec spec, List<string> errors)
    {
        foreach (var proxy in spec.Server?.TrustedProxies ?? [])
        {
            if (!IPNetwork.TryParse(proxy, out _) && !IPAddress.TryParse(proxy, out _))
            {
                errors.Add($"spec.server.trustedProxies entry '{proxy}' is not an IP address or CIDR network.");
            }
        }

        var managed = ServiceConfiguration.ManagedKeys(spec);
        foreach (var key in spec.Server?.ExtraConfig?.Keys ?? Enumerable.Empty<string>())
        {
            if (!ConfigKey().IsMatch(key))
            {
                errors.Add($"spec.server.extraConfig key '{key}' must be a Tus configuration key such as Tus:LockAcquireTimeout.");
            }
            else if (managed.Contains(ServiceConfiguration.ToEnvironmentName(key)))
            {
                errors.Add($"spec.server.extraConfig key '{key}' is set from another spec field; set it there instead.");
            }
        }
    }

    private static void ValidatePod(TusServerSpec spec, List<string> errors)
    {
        var seen = new HashSet<string>(ReservedEnvNames, StringComparer.Ordinal);
        foreach (var env in spec.Pod?.ExtraEnv ?? [])
        {
            if (env.Name is null) continue;
            if (env.Value is not null && env.ValueFrom is not null) errors.Add($"spec.pod.extraEnv '{env.Name}': set value or valueFrom, not both.");
            if (!seen.Add(env.Name)) errors.Add($"spec.pod.extraEnv '{env.Name}' is set twice or collides with a variable the operator sets.");
        }

        foreach (var key in spec.Pod?.Labels?.Keys ?? Enumerable.Empty<string>())
        {
            if (key is Labels.Name or Labels.Instance or Labels.Component or Labels.ManagedBy)
            {
                errors.Add($"spec.pod.labels must not set '{key}': the operator selects pods by it.");
            }
        }
    }

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035();

    [GeneratedRegex("^Tus(:[A-Za-z0-9_]+)+$")]
    private static partial Regex ConfigKey();
}
