using TusCluster.S3Client;

namespace TusCluster.Coordination.S3;

/// <summary>Bound from <c>Tus:Coordination:S3</c>; the connection settings are those of <see cref="S3ConnectionOptions"/>.</summary>
public sealed class S3CoordinationOptions : S3ConnectionOptions
{
    public const string SectionName = "Tus:Coordination:S3";

    public string Bucket { get; set; } = string.Empty;

    /// <summary>Prepended to every key; may share the store's bucket when the prefixes differ, e.g. <c>coordination/</c>.</summary>
    public string KeyPrefix { get; set; } = "coordination/";

    /// <summary>Create the bucket on first use when it does not exist (development and tests).</summary>
    public bool CreateBucket { get; set; }

    /// <summary>
    /// How long a lease outlives its last renewal (renewed every third of it). Other replicas judge expiry by
    /// their own wall clocks, so it must exceed the clock skew between replicas by far.
    /// </summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often a replica holding leases lists hand-over requests (one LIST for all of them), and how often a
    /// waiting acquirer reads the record again.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Bound of one S3 request, retries of reads included.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
