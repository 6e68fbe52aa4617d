namespace TusCluster.LoadDriver.Tests.Infrastructure;

/// <summary>The one way <see cref="FakeTusServer"/> misbehaves.</summary>
internal enum FakeTusServerFault
{
    /// <summary>Flips one byte of every upload served back by GET.</summary>
    CorruptReads,

    /// <summary>Answers every GET with 404.</summary>
    LoseUploads,

    /// <summary>
    /// Every second PATCH keeps only the first half of its body and then answers 503, as a replica that
    /// committed part of a chunk before a dependency failed. Reads are faithful.
    /// </summary>
    FlakyPatches,

    /// <summary>
    /// The first <see cref="FakeTusServer.UnavailablePosts"/> POSTs create nothing and answer 503 with
    /// Retry-After: 2, as a replica whose coordination server is restarting.
    /// </summary>
    UnavailablePosts,

    /// <summary>Every POST answers 503 with Retry-After: 1: an upload can only be abandoned.</summary>
    AlwaysUnavailable,

    /// <summary>The second PATCH of the server's life forgets every byte of its upload and answers 503.</summary>
    ForgetOnce,

    /// <summary>Every PATCH keeps nothing and answers 503 without Retry-After; HEAD works.</summary>
    UnavailablePatches,
}
