namespace TusCluster.Sweeper.Hosting;

/// <summary>Bound from <c>Tus:Server</c>: the sweeper listens only for health probes (and metrics).</summary>
internal sealed class SweeperServerOptions
{
    public const string SectionName = "Tus:Server";

    /// <summary>Semicolon-separated listen URLs.</summary>
    public string Urls { get; set; } = "http://0.0.0.0:8081";
}
