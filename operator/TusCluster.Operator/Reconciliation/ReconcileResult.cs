namespace TusCluster.Operator.Reconciliation;

/// <summary>When to look at a TusServer again without an event: soon while it rolls out, else at the next resync.</summary>
internal sealed record ReconcileResult(TimeSpan? RequeueAfter)
{
    public static readonly ReconcileResult Done = new((TimeSpan?)null);
}
