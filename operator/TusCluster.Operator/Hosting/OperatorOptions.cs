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

    /// <summary>How long the leader keeps retrying a failed renewal before it gives up leading (client-go's renewDeadline).</summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the leader renews the Lease and a standby tries to take it.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often every TusServer is reconciled again without an event (a safety net; changes are watched).</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one watch request lasts before it is resumed from the last resource version.</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Path of a kubeconfig file; empty uses the in-cluster service account, else $KUBECONFIG or ~/.kube/config.</summary>
    public string? Kubeconfig { get; set; }

    public string? KubeconfigContext { get; set; }

    public string Urls { get; set; } = "http://0.0.0.0:8080";
}
