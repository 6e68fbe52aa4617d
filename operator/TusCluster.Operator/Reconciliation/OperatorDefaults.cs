namespace TusCluster.Operator.Reconciliation;

/// <summary>
/// Values used when a spec field is absent. They equal the CRD's defaults, so a TusServer read from an
/// API server that did not default it (or an older stored object) builds the same objects.
/// </summary>
internal static class OperatorDefaults
{
    public const int Replicas = 2;
    public const string UploadImageRepository = "ghcr.io/tuscluster/upload-service";
    public const string SweeperImageRepository = "ghcr.io/tuscluster/sweeper";
    public const string ImageTag = "0.1.0";
    public const string PullPolicy = "IfNotPresent";
    public const int UploadPort = 8080;
    public const int SweeperPort = 8081;
    public const int ServicePort = 80;
    public const string ServiceType = "ClusterIP";
    public const string BasePath = "/files/";
    public const string DrainPeriod = "00:00:20";
    public const string CommitGracePeriod = "00:00:05";
    public const int PreStopDelaySeconds = 5;
    public const string LogFormat = "Json";
    public const string MetricsPath = "/metrics";
    public const int AutoscalingMinReplicas = 2;
    public const int AutoscalingMaxReplicas = 10;
    public const int AutoscalingTargetCpu = 70;
    public const int SweeperReplicas = 1;
    public const string ServiceMonitorInterval = "30s";

    /// <summary>Headroom on top of preStop + drain + commit before the kubelet sends SIGKILL.</summary>
    public const int TerminationMarginSeconds = 5;

    public const int HttpsPort = 8443;
    public const int HttpsServicePort = 443;
    public const string TlsMountPath = "/etc/tus/tls";

    /// <summary>Where the GCS service-account key Secret is mounted (read-only).</summary>
    public const string GcsCredentialsMountPath = "/etc/tus/gcs";

    public const string GcsCredentialsKey = "key.json";

    /// <summary>Where the key of the S3 endpoint's private CA bundle is mounted (read-only, that key only).</summary>
    public const string S3CaCertificateMountPath = "/etc/tus/s3-ca";

    /// <summary>The data key of a CA bundle when the spec names none: cert-manager's and trust-manager's usual name.</summary>
    public const string CaCertificateKey = "ca.crt";

    public const string DataMountPath = "/data";
    public const string UploadsDirectory = "/data/uploads";
    public const string RecordsDirectory = "/data/meta";
}
