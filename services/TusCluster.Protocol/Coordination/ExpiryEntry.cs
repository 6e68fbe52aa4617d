namespace TusCluster.Protocol.Coordination;

/// <summary>One entry of the expiry index: an upload whose record expires at <see cref="ExpiresAt"/>.</summary>
public readonly record struct ExpiryEntry(string UploadId, DateTimeOffset ExpiresAt);
