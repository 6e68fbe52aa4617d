using Microsoft.Extensions.Options;

namespace TusCluster.Protocol.Engine;

/// <summary>The engine's notion of time, so that expiry can be tested without waiting.</summary>
public sealed class UploadClock(TimeProvider time, IOptions<TusProtocolOptions> options)
{
    private readonly TimeSpan _expiration = options.Value.Expiration;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>When an upload written to now stops being resumable; null when expiry is off.</summary>
    public DateTimeOffset? ExpiryFromNow() => _expiration > TimeSpan.Zero ? Now + _expiration : null;
}
