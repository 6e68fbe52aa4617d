namespace TusCluster.Coordination.Etcd;

/// <summary>Bound from <c>Tus:Coordination:Etcd</c>.</summary>
public sealed class EtcdCoordinationOptions
{
    public const string SectionName = "Tus:Coordination:Etcd";

    /// <summary>Client URLs of the etcd members; one gRPC channel balances over those it can connect to.</summary>
    public IList<string> Endpoints { get; } = [];

    /// <summary>etcd user when auth is enabled; empty for none.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Prefix of every key this backend writes; several clusters can share one etcd with different prefixes.</summary>
    public string KeyPrefix { get; set; } = "/tus/";

    /// <summary>TTL of the replica's etcd lease (whole seconds, at least 2): how long a dead replica's locks outlive it.</summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>gRPC deadline of one call to etcd, hedged or resent copies included.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    internal static readonly string[] DefaultEndpoints = ["http://127.0.0.1:2379"];

    /// <summary>The configured endpoints, or the default when none is configured.</summary>
    internal IReadOnlyList<string> EffectiveEndpoints => Endpoints.Count > 0 ? [.. Endpoints] : DefaultEndpoints;

    internal long LeaseTtlSeconds => (long)Math.Ceiling(LeaseTtl.TotalSeconds);
}
