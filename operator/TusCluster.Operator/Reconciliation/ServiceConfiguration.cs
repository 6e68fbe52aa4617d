using System.Globalization;
using TusCluster.Operator.Resources;
using static TusCluster.Operator.Reconciliation.EnvironmentValues;

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

        StorageConfiguration.Add(env, spec.Storage);
        CoordinationConfiguration.Add(env, spec.Coordination, spec.Storage);
        AddSweeper(env, spec);

        var monitoring = spec.Monitoring;
        env["TUS__METRICS__ENABLED"] = "true";
        env["TUS__METRICS__PATH"] = monitoring?.MetricsPath ?? OperatorDefaults.MetricsPath;
        Set(env, "TUS__METRICS__PORT", monitoring?.MetricsPort);
        Set(env, "TUS__TELEMETRY__OTLPENDPOINT", monitoring?.OtlpEndpoint);

        // The service exports metrics over OTLP only when /metrics is off; here it is always on, so when
        // nothing is set up to scrape it, the collector that gets the spans gets the metrics too.
        var scraped = monitoring?.PrometheusScrapeAnnotations != false || monitoring?.ServiceMonitor?.Enabled == true;
        if (monitoring?.OtlpEndpoint is not null && !scraped)
        {
            env["TUS__TELEMETRY__EXPORTMETRICS"] = "true";
        }

        return env;
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
}
