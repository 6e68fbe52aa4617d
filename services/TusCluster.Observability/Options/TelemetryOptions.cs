namespace TusCluster.Observability.Options;

/// <summary>Tracing and OTLP export, bound from <c>Tus:Telemetry</c>.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Tus:Telemetry";

    /// <summary>Base address of an OTLP collector (e.g. http://collector:4317); null: nothing is exported.</summary>
    public Uri? OtlpEndpoint { get; set; }

    public OtlpProtocol OtlpProtocol { get; set; } = OtlpProtocol.Grpc;

    /// <summary>
    /// Whether metrics go over OTLP too (with <see cref="OtlpEndpoint"/>); null: only when the Prometheus
    /// endpoint is off. Every reader aggregates every measurement again (measured: about 5 % of the
    /// small-upload rate), so a replica that Prometheus scrapes does not also export them unless asked to.
    /// </summary>
    public bool? ExportMetrics { get; set; }

    /// <summary>service.name of spans; null: the host's own name.</summary>
    public string? ServiceName { get; set; }

    /// <summary>
    /// Share of traces started here that are recorded, 0 to 1. A request that arrives with a
    /// <c>traceparent</c> follows its caller's sampling decision instead, so a trace is never cut in two.
    /// </summary>
    public double TraceSampleRatio { get; set; } = 1.0;

    /// <summary>
    /// Traces started here that are recorded per second at most (after <see cref="TraceSampleRatio"/>), per
    /// replica; 0: no limit. A quiet replica traces every request, a busy one a steady sample, so tracing
    /// never costs a busy replica much of its throughput. Requests whose caller sampled are not counted.
    /// </summary>
    public double MaxTracesPerSecond { get; set; } = 100;

    /// <summary>Names this process in logs and spans (service.instance.id); null: the machine (pod) name.</summary>
    public string? ReplicaName { get; set; }
}
