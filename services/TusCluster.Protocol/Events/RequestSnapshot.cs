namespace TusCluster.Protocol.Events;

/// <summary>The HTTP request that caused an event; only the headers the operator chose to forward.</summary>
public sealed record RequestSnapshot
{
    public required string Method { get; init; }

    /// <summary>Path and query as the client sent them.</summary>
    public required string Uri { get; init; }

    /// <summary>The connected peer as address:port (a proxy, unless forwarded headers are trusted).</summary>
    public required string RemoteAddr { get; init; }

    /// <summary>Forwarded headers by name, each with every value sent.</summary>
    public IReadOnlyDictionary<string, string[]> Header { get; init; } = new Dictionary<string, string[]>();
}
