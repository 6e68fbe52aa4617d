namespace TusCluster.Coordination.Embedded;

/// <summary>Bound from <c>Tus:Coordination:Embedded</c>.</summary>
public sealed class EmbeddedCoordinationOptions
{
    public const string SectionName = "Tus:Coordination:Embedded";

    /// <summary>Directory of the upload records; relative paths are resolved against the working directory.</summary>
    public string Directory { get; set; } = "data/meta";

    /// <summary>fsync each record before a commit returns (see the file store's Fsync for the trade-off).</summary>
    public bool Fsync { get; set; }
}
