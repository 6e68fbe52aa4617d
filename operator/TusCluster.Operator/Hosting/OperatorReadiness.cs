namespace TusCluster.Operator.Hosting;

/// <summary>Readiness of the operator process: it has started its loop (a standby replica is ready too).</summary>
internal sealed class OperatorReadiness
{
    public volatile bool Started;
}
