namespace TusCluster.Observability.Instrumentation;

/// <summary>The backend labels of the decorated store and coordination backend (null: none registered).</summary>
internal sealed record BackendLabels(string? Store, string? Coordination)
{
    /// <summary>
    /// Publishes the error, timeout and hand-over counters at zero for the backends in use, so rates
    /// and alerts have a series from the start instead of appearing with the first failure.
    /// </summary>
    public void InitializeCounters()
    {
        if (Store is not null)
        {
            StoreTelemetry.Initialize(Store);
        }

        if (Coordination is not null)
        {
            CoordinationTelemetry.Initialize(Coordination);
        }
    }
}
