namespace TusCluster.Operator.Reconciliation;

/// <summary>Label keys and values shared by every child object.</summary>
internal static class Labels
{
    public const string Name = "app.kubernetes.io/name";
    public const string Instance = "app.kubernetes.io/instance";
    public const string Component = "app.kubernetes.io/component";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string AppName = "tuscluster";
    public const string OperatorName = "tuscluster-operator";
    public const string UploadComponent = "upload";
    public const string SweeperComponent = "sweeper";
    public const string ConfigHashAnnotation = "tuscluster.io/config-hash";
}
