namespace TusCluster.Observability.Options;

/// <summary>The Prometheus endpoint, bound from <c>Tus:Metrics</c>.</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Tus:Metrics";

    public bool Enabled { get; set; } = true;

    public string Path { get; set; } = "/metrics";

    /// <summary>A port of its own for the endpoint (then served only there); null: served on the main listener.</summary>
    public int? Port { get; set; }
}
