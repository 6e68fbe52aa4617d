using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TusCluster.Observability.Metrics;
using TusCluster.Observability.Options;

namespace TusCluster.Observability.Telemetry;

/// <summary>
/// One tracer provider and one meter provider per host, through OpenTelemetry.Extensions.Hosting: the
/// ASP.NET Core and HttpClient instrumentation plus our own sources and meters, exported over OTLP and
/// (metrics) to the Prometheus scrape.
/// </summary>
internal static class OpenTelemetryRegistration
{
    /// <summary>Our own sources and meters: the engine, the backend decorators, the sweeper, the hooks, the process figures.</summary>
    public const string OwnSignals = "TusCluster.*";

    /// <summary>The runtime's own meter (GC, thread pool, JIT, exceptions), built into .NET.</summary>
    public const string RuntimeMeter = "System.Runtime";

    public static void Add(IServiceCollection services, ReplicaIdentity identity, TelemetryOptions telemetry, MetricsOptions metrics)
    {
        var export = telemetry.OtlpEndpoint;
        if (export is null && !metrics.Enabled)
        {
            return;
        }

        var openTelemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(identity.ServiceName, serviceVersion: identity.Version, serviceInstanceId: identity.ReplicaName));

        // Spans cost on every request: without a collector to send them to, none are recorded (the
        // request's activity still exists for the trace ids of logs and error events).
        if (export is not null)
        {
            openTelemetry.WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new BudgetedRootSampler(ValidRatio(telemetry.TraceSampleRatio), ValidBudget(telemetry.MaxTracesPerSecond), TimeProvider.System)))
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsScrape(context, metrics))
                .AddHttpClientInstrumentation()
                .AddSource(OwnSignals)
                .AddOtlpExporter(o => OtlpEndpoints.Configure(o, telemetry, export, "v1/traces")));
        }

        openTelemetry.WithMetrics(meters =>
        {
            meters.AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter(OwnSignals, RuntimeMeter);
            if (metrics.Enabled)
            {
                meters.AddPrometheusExporter(o =>
                {
                    // A scrape sees the figures of the moment (tests compare two scrapes a few milliseconds apart).
                    o.ScrapeResponseCacheDurationMilliseconds = 0;

                    // Series keep exactly the labels the dashboards and alerts were written for (no otel_scope_* on each).
                    o.ScopeInfoEnabled = false;
                });
            }

            // Unless asked for both, metrics take one path: the scrape when it is served, else OTLP.
            if (export is not null && (telemetry.ExportMetrics ?? !metrics.Enabled))
            {
                meters.AddOtlpExporter(o => OtlpEndpoints.Configure(o, telemetry, export, "v1/metrics"));
            }
        });
        services.ConfigureOpenTelemetryMeterProvider((provider, meters) => meters.AddView(OnlyThisHost(provider.GetRequiredService<IMeterFactory>())));
        ProcessMetrics.EnsureCreated();
    }

    /// <summary>
    /// Meters are picked by name, so a provider would also take the same-named meters that another host
    /// in the process created with its own meter factory (tests run several hosts in one process); the
    /// SDK then keeps one of two same-named instruments and the figures of this host can vanish.
    /// Meters of other factories are dropped; static meters (no factory) are shared as before.
    /// </summary>
    private static Func<Instrument, MetricStreamConfiguration?> OnlyThisHost(IMeterFactory own) =>
        instrument => instrument.Meter.Scope is IMeterFactory factory && !ReferenceEquals(factory, own) ? MetricStreamConfiguration.Drop : null;

    /// <summary>
    /// The providers are built before the options validator runs (it reports every bad setting together at
    /// start); the sampler must not throw first on an out-of-range ratio.
    /// </summary>
    private static double ValidRatio(double ratio) => ratio is >= 0 and <= 1 ? ratio : 1;

    private static double ValidBudget(double perSecond) => perSecond is >= 0 and <= 1_000_000 ? perSecond : 0;

    /// <summary>Whether a request is Prometheus reading the metrics (served before routing, and not worth a span).</summary>
    public static bool IsScrape(HttpContext context, MetricsOptions metrics) =>
        metrics.Enabled
        && context.Request.Path.Equals(metrics.Path, StringComparison.Ordinal)
        && (metrics.Port is not { } port || context.Connection.LocalPort == port);
}
