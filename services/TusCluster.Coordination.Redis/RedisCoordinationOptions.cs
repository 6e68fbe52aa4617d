using System.Net.Security;

namespace TusCluster.Coordination.Redis;

/// <summary>Bound from <c>Tus:Coordination:Redis</c>.</summary>
public sealed class RedisCoordinationOptions
{
    public const string SectionName = "Tus:Coordination:Redis";

    /// <summary><c>host:port</c> of the Redis server (<c>[::1]:6379</c> for an IPv6 literal).</summary>
    public string Endpoint { get; set; } = "127.0.0.1:6379";

    /// <summary>User name for ACL authentication (Redis 6+); empty for the default user.</summary>
    public string? User { get; set; }

    /// <summary>Password (<c>requirepass</c> or the ACL user's); empty when the server needs none.</summary>
    public string? Password { get; set; }

    public int Database { get; set; }

    public bool UseTls { get; set; }

    /// <summary>Prefix of every key and channel. Must not contain braces (they would change the hash tag).</summary>
    public string KeyPrefix { get; set; } = "tus:";

    /// <summary>How long a lease outlives its last renewal; renewed every third of it.</summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait for one reply; then the connection is dropped and the call fails with 503.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Number of command connections (each is pipelined); the subscriber connection comes on top.</summary>
    public int PoolSize { get; set; } = 4;

    /// <summary>Test hook: validates the server certificate instead of the system trust store (not bound from configuration).</summary>
    internal RemoteCertificateValidationCallback? RemoteCertificateValidation { get; set; }
}
