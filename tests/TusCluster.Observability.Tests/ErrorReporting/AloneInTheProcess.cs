namespace TusCluster.Observability.Tests.ErrorReporting;

/// <summary>
/// Tests that run while no other test of the assembly does. The Sentry SDK's hub and the activity listeners of an
/// OTLP exporter are process-wide: run side by side, the trace test would count this collection's requests as
/// its own, and SENTRY_DSN, set here for a moment, must not be seen by another host.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneInTheProcess
{
    public const string Name = "alone in the process";
}
