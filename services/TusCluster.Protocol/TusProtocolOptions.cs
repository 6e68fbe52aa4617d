using TusCluster.Protocol.Checksums;

namespace TusCluster.Protocol;

/// <summary>Protocol settings, bound from the configuration section <c>Tus</c>.</summary>
public sealed class TusProtocolOptions
{
    public const string SectionName = "Tus";

    /// <summary>Path under which uploads live; starts and ends with '/'.</summary>
    public string BasePath { get; set; } = "/files/";

    /// <summary>Largest upload accepted, in bytes (Tus-Max-Size).</summary>
    public long MaxUploadSize { get; set; } = 10L * 1024 * 1024 * 1024;

    /// <summary>
    /// Most partial uploads one final upload may list, each repetition of the same one counted: a final
    /// upload copies every listed partial, so this bounds what one small request can make the store write.
    /// </summary>
    public int MaxConcatParts { get; set; } = 100;

    /// <summary>Largest Upload-Metadata header accepted, in bytes.</summary>
    public int MaxMetadataSize { get; set; } = 4096;

    /// <summary>How long an unfinished upload stays resumable after its last write; zero: never expires.</summary>
    public TimeSpan Expiration { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long a terminated or expired upload answers 410 before it is forgotten (then 404).</summary>
    public TimeSpan TombstoneRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a finished upload is kept before the sweeper deletes it; null keeps it forever. Read from
    /// <c>Tus:Sweeper:FinishedRetention</c> (the sweeper's policy, validated there): the engine only puts
    /// a finished upload into the expiry index at that distance, which is what lets the sweeper find it.
    /// </summary>
    public TimeSpan? FinishedRetention { get; set; }

    /// <summary>Checksum algorithms accepted in Upload-Checksum; null: sha1, md5 and sha256.</summary>
    public string[]? ChecksumAlgorithms { get; set; }

    /// <summary>How long a request waits for an upload's lock (including a hand-over) before 423.</summary>
    public TimeSpan LockAcquireTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retry-After sent with 503 answers.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Absolute URL that Location headers start with, e.g. https://uploads.example.com; overrides the request's own.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Proxies (IP addresses or CIDR networks) whose Forwarded / X-Forwarded-* headers are believed.</summary>
    public string[]? TrustedProxies { get; set; }

    internal IReadOnlyList<ChecksumAlgorithm> EnabledChecksums =>
        ChecksumAlgorithms is null
            ? ChecksumAlgorithm.All
            : [.. ChecksumAlgorithms.Select(ChecksumAlgorithm.FromName).OfType<ChecksumAlgorithm>()];
}
