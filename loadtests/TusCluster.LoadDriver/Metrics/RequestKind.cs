namespace TusCluster.LoadDriver.Metrics;

/// <summary>The tus request kinds whose latency is reported separately (by HTTP method).</summary>
internal enum RequestKind
{
    Post,
    Patch,
    Head,
    Get,
    Delete,
}
