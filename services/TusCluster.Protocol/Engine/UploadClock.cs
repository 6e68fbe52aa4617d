using Microsoft.Extensions.Options;

namespace TusCluster.Protocol.Engine;

/// <summary>The engine's notion of time, so that expiry can be tested without waiting.</summary>
public sealed class UploadClock(TimeProvider time, IOptions<TusProtocolOptions> options)
{
    private readonly TimeSpan _expiration = options.Value.Expiration;
    private readonly TimeSpan? _finishedRetention = options.Value.FinishedRetention;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>When an upload written to now stops being resumable; null when expiry is off.</summary>
    public DateTimeOffset? ExpiryFromNow() => _expiration > TimeSpan.Zero ? Now + _expiration : null;

    /// <summary>When an upload finishing now may be deleted by the sweeper; null when finished uploads are kept.</summary>
    public DateTimeOffset? FinishedExpiryFromNow() => _finishedRetention is { } retention ? Now + retention : null;
}
