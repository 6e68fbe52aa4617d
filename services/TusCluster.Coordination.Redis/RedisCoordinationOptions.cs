using System.Net.Security;

namespace TusCluster.Coordination.Redis;

/// <summary>Bound from <c>Tus:Coordination:Redis</c>.</summary>
public sealed class RedisCoordinationOptions
{
    public const string SectionName = "Tus:Coordination:Redis";

    /// <summary>Used when neither <see cref="Endpoint"/> nor <see cref="Configuration"/> is set.</summary>
    public const string DefaultEndpoint = "127.0.0.1:6379";

    /// <summary>
    /// A StackExchange.Redis configuration string (several endpoints, <c>serviceName=</c> for Sentinel,
    /// <c>user=</c>, <c>password=</c>, <c>ssl=true</c>, <c>defaultDatabase=</c>). It replaces
    /// <see cref="Endpoint"/>, <see cref="User"/>, <see cref="Password"/>, <see cref="Database"/> and
    /// <see cref="UseTls"/>, which must then stay unset.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary><c>host:port</c> of the Redis server (<c>[::1]:6379</c> for an IPv6 literal); <see cref="DefaultEndpoint"/> when unset.</summary>
    public string? Endpoint { get; set; }

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

    /// <summary>Longest wait for one reply; then the call fails with 503.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Replicas that must acknowledge every commit and removal (Redis <c>WAIT</c>) before it is reported
    /// done; 0 turns the check off. Fewer acknowledgements within <see cref="WaitTimeout"/> answer 503.
    /// </summary>
    public int WaitForReplicas { get; set; }

    /// <summary>How long <c>WAIT</c> waits for <see cref="WaitForReplicas"/>; shorter than <see cref="CommandTimeout"/>.</summary>
    public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Test hook: validates the server certificate instead of the system trust store (not bound from configuration).</summary>
    internal RemoteCertificateValidationCallback? RemoteCertificateValidation { get; set; }
}
