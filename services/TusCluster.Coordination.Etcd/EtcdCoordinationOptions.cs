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

    /// <summary>Every problem with these options, each naming its setting; empty when they are usable.</summary>
    internal IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        foreach (var endpoint in EffectiveEndpoints)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
            {
                problems.Add($"{SectionName}:Endpoints: '{endpoint}' is not an http(s) URL without a path, like http://127.0.0.1:2379.");
            }
        }

        if (string.IsNullOrEmpty(KeyPrefix) || !KeyPrefix.EndsWith('/'))
        {
            problems.Add($"{SectionName}:KeyPrefix must be a non-empty prefix ending with '/', like /tus/.");
        }

        if (LeaseTtl < TimeSpan.FromSeconds(2) || LeaseTtl.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            problems.Add($"{SectionName}:LeaseTtl must be a whole number of seconds, at least 00:00:02.");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:RequestTimeout must be positive.");
        }

        if (string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password))
        {
            problems.Add($"{SectionName}:Password is set without {SectionName}:Username.");
        }

        if (!string.IsNullOrEmpty(Username) && string.IsNullOrWhiteSpace(Password))
        {
            // dotnet-etcd refuses credentials without a password (and etcd 3.4 users have one).
            problems.Add($"{SectionName}:Username is set without {SectionName}:Password.");
        }

        return problems;
    }
}
