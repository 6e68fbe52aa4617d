using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace TusCluster.Observability.Instrumentation;

/// <summary>
/// The outcome of the last health check of each backend (readiness probes run it every few seconds),
/// as the gauge tus.backend.up: 1 reachable, 0 not.
/// </summary>
internal static class BackendHealth
{
    private static readonly Meter Meter = new("TusCluster.Backends");
    private static readonly ConcurrentDictionary<(string Component, string Backend), int> Last = new();

    static BackendHealth()
    {
        Meter.CreateObservableGauge(
            "tus.backend.up",
            Observe,
            description: "1 when the last health check of the backend succeeded, 0 when it failed.");
    }

    public static void Report(string component, string backend, bool healthy) => Last[(component, backend)] = healthy ? 1 : 0;

    private static IEnumerable<Measurement<int>> Observe() =>
        Last.Select(p => new Measurement<int>(p.Value, new("tus.component", p.Key.Component), new(CoordinationTelemetry.BackendTag, p.Key.Backend)));
}
