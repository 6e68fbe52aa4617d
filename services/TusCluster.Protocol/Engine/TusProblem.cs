namespace TusCluster.Protocol.Engine;

/// <summary>The machine-readable reason behind a <see cref="TusException"/>, with the offsets of a mismatch.</summary>
internal sealed record TusProblem(TusProblemKind Kind, long? ExpectedOffset = null, long? ProvidedOffset = null);
