using System.Globalization;
using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Reconciliation;

/// <summary>
/// The service configuration a TusServer stands for, as TUS__ environment variables (the ConfigMap is
/// consumed with envFrom). Only set fields are written, so the services' own defaults apply otherwise.
/// Secrets never appear here: see <see cref="SecretEnvironment"/>.
/// </summary>
internal static class ServiceConfiguration
{
    public static SortedDictionary<string, string> Build(TusServer server)
    {
        var env = BuildManaged(server.Spec);
        foreach (var (key, value) in server.Spec.Server?.ExtraConfig ?? new Dictionary<string, string>())
        {
            env[ToEnvironmentName(key)] = value;
        }

        return env;
    }

    /// <summary>Environment names the spec fields produce (extraConfig may not override them).</summary>
    public static IReadOnlySet<string> ManagedKeys(TusServerSpec spec) => BuildManaged(spec).Keys.ToHashSet(StringComparer.Ordinal);

    public static string ToEnvironmentName(string configurationKey) =>
        configurationKey.Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant();

    private static SortedDictionary<string, string> BuildManaged(TusServerSpec spec)
    {
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var server = spec.Server;
        env["TUS__SERVER__URLS"] = $"http://0.0.0.0:{OperatorDefaults.UploadPort}";
        env["TUS__BASEPATH"] = server?.BasePath ?? OperatorDefaults.BasePath;
        Set(env, "TUS__PUBLICBASEURL", server?.PublicBaseUrl);
        SetList(env, "TUS__TRUSTEDPROXIES", server?.TrustedProxies);
        SetList(env, "TUS__CORS__ALLOWEDORIGINS", server?.CorsAllowedOrigins);
        env["TUS__SERVER__DRAINPERIOD"] = server?.DrainPeriod ?? OperatorDefaults.DrainPeriod;
        env["TUS__SERVER__COMMITGRACEPERIOD"] = server?.CommitGracePeriod ?? OperatorDefaults.CommitGracePeriod;
        env["TUS__LOGGING__FORMAT"] = server?.LogFormat ?? OperatorDefaults.LogFormat;
        if (server?.Tls is { SecretName.Length: > 0 } tls)
        {
            // The Secret is mounted as a volume (never subPath), so a rotation reaches the files and the service reloads them.
            env["TUS__SERVER__HTTPS__CERTIFICATEFILE"] = OperatorDefaults.TlsMountPath + "/tls.crt";
            env["TUS__SERVER__HTTPS__KEYFILE"] = OperatorDefaults.TlsMountPath + "/tls.key";
            env["TUS__SERVER__HTTPS__PORT"] = (tls.Port ?? OperatorDefaults.HttpsPort).ToString(CultureInfo.InvariantCulture);
        }

        var limits = spec.Limits;
        Set(env, "TUS__MAXUPLOADSIZE", limits?.MaxUploadSize);
        Set(env, "TUS__MAXCONCATPARTS", limits?.MaxConcatParts);
        Set(env, "TUS__MAXMETADATASIZE", limits?.MaxMetadataSize);
        Set(env, "TUS__SERVER__MAXCONCURRENTCONNECTIONS", limits?.MaxConcurrentConnections);
        Set(env, "TUS__SERVER__MAXREQUESTBODYSIZE", limits?.MaxRequestBodySize);
        Set(env, "TUS__SERVER__MINREQUESTBODYDATARATE", limits?.MinRequestBodyDataRate);
        Set(env, "TUS__LOCKACQUIRETIMEOUT", limits?.LockAcquireTimeout);
        Set(env, "TUS__EXPIRATION", spec.Expiration?.UnfinishedAfter);
        Set(env, "TUS__TOMBSTONERETENTION", spec.Expiration?.TombstoneRetention);

        AddStorage(env, spec.Storage);
        AddCoordination(env, spec.Coordination);
        AddSweeper(env, spec);

        var monitoring = spec.Monitoring;
        env["TUS__METRICS__ENABLED"] = "true";
        env["TUS__METRICS__PATH"] = monitoring?.MetricsPath ?? OperatorDefaults.MetricsPath;
        Set(env, "TUS__METRICS__PORT", monitoring?.MetricsPort);
        Set(env, "TUS__TELEMETRY__OTLPENDPOINT", monitoring?.OtlpEndpoint);
        return env;
    }

    private static void AddStorage(SortedDictionary<string, string> env, StorageSpec? storage)
    {
        Set(env, "TUS__STORAGE__PROVIDER", storage?.Provider);
        if (storage?.Provider == "FileSystem" && storage.FileSystem is { } fs)
        {
            env["TUS__STORAGE__FILESYSTEM__ROOT"] = OperatorDefaults.UploadsDirectory;
            Set(env, "TUS__STORAGE__FILESYSTEM__DATEPARTITIONED", fs.DatePartitioned);
            Set(env, "TUS__STORAGE__FILESYSTEM__FSYNC", fs.Fsync);
        }
        else if (storage?.Provider == "S3" && storage.S3 is { } s3)
        {
            const string p = "TUS__STORAGE__S3__";
            Set(env, p + "BUCKET", s3.Bucket);
            Set(env, p + "SERVICEURL", s3.ServiceUrl);
            Set(env, p + "REGION", s3.Region);
            Set(env, p + "KEYPREFIX", s3.KeyPrefix);
            Set(env, p + "DATEPARTITIONED", s3.DatePartitioned);
            Set(env, p + "FORCEPATHSTYLE", s3.ForcePathStyle);
            Set(env, p + "CHECKSUMCALCULATION", s3.ChecksumCalculation);
            Set(env, p + "PARTSIZE", s3.PartSize);
            Set(env, p + "MAXCONCURRENTPARTUPLOADS", s3.MaxConcurrentPartUploads);
            Set(env, p + "CREATEBUCKET", s3.CreateBucket);
        }
    }

    private static void AddCoordination(SortedDictionary<string, string> env, CoordinationSpec? c)
    {
        Set(env, "TUS__COORDINATION__PROVIDER", c?.Provider);
        switch (c?.Provider)
        {
            case "Embedded":
                env["TUS__COORDINATION__EMBEDDED__DIRECTORY"] = OperatorDefaults.RecordsDirectory;
                Set(env, "TUS__COORDINATION__EMBEDDED__FSYNC", c.Embedded?.Fsync);
                break;
            case "Redis" when c.Redis is { } r:
                const string rp = "TUS__COORDINATION__REDIS__";
                Set(env, rp + "ENDPOINT", r.Endpoint);
                Set(env, rp + "USER", r.User);
                Set(env, rp + "DATABASE", r.Database);
                Set(env, rp + "USETLS", r.UseTls);
                Set(env, rp + "KEYPREFIX", r.KeyPrefix);
                Set(env, rp + "LEASETTL", r.LeaseTtl);
                Set(env, rp + "CONNECTTIMEOUT", r.ConnectTimeout);
                Set(env, rp + "COMMANDTIMEOUT", r.CommandTimeout);
                Set(env, rp + "WAITFORREPLICAS", r.WaitForReplicas);
                Set(env, rp + "WAITTIMEOUT", r.WaitTimeout);
                break;
            case "Etcd" when c.Etcd is { } e:
                const string ep = "TUS__COORDINATION__ETCD__";
                SetList(env, ep + "ENDPOINTS", e.Endpoints);
                Set(env, ep + "USERNAME", e.Username);
                Set(env, ep + "KEYPREFIX", e.KeyPrefix);
                Set(env, ep + "LEASETTL", e.LeaseTtl);
                Set(env, ep + "REQUESTTIMEOUT", e.RequestTimeout);
                break;
            case "DynamoDb":
                const string dp = "TUS__COORDINATION__DYNAMODB__";
                var d = c.DynamoDb;
                Set(env, dp + "SERVICEURL", d?.ServiceUrl);
                Set(env, dp + "REGION", d?.Region);
                Set(env, dp + "TABLENAME", d?.TableName);
                Set(env, dp + "CREATETABLE", d?.CreateTable);
                Set(env, dp + "LEASETTL", d?.LeaseTtl);
                Set(env, dp + "HANDOVERPOLLINTERVAL", d?.HandOverPollInterval);
                Set(env, dp + "REQUESTTIMEOUT", d?.RequestTimeout);
                break;
            case "PostgreSql":
                const string pp = "TUS__COORDINATION__POSTGRESQL__";
                var p = c.PostgreSql;
                Set(env, pp + "SCHEMA", p?.Schema);
                Set(env, pp + "CREATESCHEMA", p?.CreateSchema);
                Set(env, pp + "LEASETTL", p?.LeaseTtl);
                Set(env, pp + "REQUESTTIMEOUT", p?.RequestTimeout);
                break;
        }
    }

    private static void AddSweeper(SortedDictionary<string, string> env, TusServerSpec spec)
    {
        var s = spec.Sweeper;
        // Embedded records live in the upload pod, so only an in-process sweeper can see them; with a
        // shared backend the sweeper Deployment does the work and the replicas must not race it.
        var inProcess = spec.Coordination?.Provider == "Embedded" && (s?.Enabled ?? true);
        env["TUS__SWEEPER__ENABLED"] = inProcess ? "true" : "false";
        Set(env, "TUS__SWEEPER__INTERVAL", s?.Interval);
        Set(env, "TUS__SWEEPER__BATCHSIZE", s?.BatchSize);
        Set(env, "TUS__SWEEPER__MAXDELETIONSPERSECOND", s?.MaxDeletionsPerSecond);
        Set(env, "TUS__SWEEPER__DRYRUN", s?.DryRun);
        Set(env, "TUS__SWEEPER__FINISHEDRETENTION", s?.FinishedRetention);
        Set(env, "TUS__SWEEPER__ORPHANGRACEPERIOD", s?.OrphanGracePeriod);
    }

    private static void Set(SortedDictionary<string, string> env, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) env[name] = value;
    }

    private static void Set(SortedDictionary<string, string> env, string name, long? value)
    {
        if (value is { } v) env[name] = v.ToString(CultureInfo.InvariantCulture);
    }

    private static void Set(SortedDictionary<string, string> env, string name, bool? value)
    {
        if (value is { } v) env[name] = v ? "true" : "false";
    }

    private static void SetList(SortedDictionary<string, string> env, string prefix, IReadOnlyList<string>? values)
    {
        for (var i = 0; i < (values?.Count ?? 0); i++)
        {
            env[$"{prefix}__{i.ToString(CultureInfo.InvariantCulture)}"] = values![i];
        }
    }
}
