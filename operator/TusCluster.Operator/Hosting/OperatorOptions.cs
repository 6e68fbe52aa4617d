namespace TusCluster.Operator.Hosting;

/// <summary>The operator's own settings (section "Operator"; env OPERATOR__...).</summary>
internal sealed class OperatorOptions
{
    /// <summary>Namespace to watch; empty watches every namespace.</summary>
    public string? WatchNamespace { get; set; }

    /// <summary>Namespace of the leader-election Lease; defaults to the pod's own namespace.</summary>
    public string? LeaseNamespace { get; set; }

    public string LeaseName { get; set; } = "tuscluster-operator";

    /// <summary>This replica's identity in the Lease; defaults to the pod name (HOSTNAME).</summary>
    public string? Identity { get; set; }

    public bool LeaderElection { get; set; } = true;

    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a TusServer that is rolling out is looked at again (Deployments are not watched).</summary>
    public TimeSpan ProgressCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Path of a kubeconfig file; empty uses the in-cluster service account, else $KUBECONFIG or ~/.kube/config.</summary>
    public string? Kubeconfig { get; set; }

    public string? KubeconfigContext { get; set; }

    public string Urls { get; set; } = "http://0.0.0.0:8080";
}
