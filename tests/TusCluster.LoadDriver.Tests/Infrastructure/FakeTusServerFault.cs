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
}
