namespace TusCluster.Protocol.Storage;

/// <summary>A chunk written by <see cref="IUploadStore.StageAsync"/> but not yet committed.</summary>
/// <param name="Length">Bytes staged.</param>
/// <param name="StoreState">The store state to commit with the new offset.</param>
public sealed record StagedChunk(long Length, string? StoreState);
