namespace TusCluster.Protocol.Storage;

/// <summary>
/// What a store may use of the writer's lease while it stages a chunk: the fencing token that makes its
/// staging space private, and a commit of nothing but the store state, to reserve staging space shared
/// by all writers (S3 part numbers) under the fence. A store cannot release, remove or hand over the
/// lease, nor commit an offset, length or status.
/// </summary>
public interface IStagingContext
{
    /// <summary>The writer's fencing token: strictly greater than every earlier holder's.</summary>
    long FencingToken { get; }

    /// <summary>
    /// False while the upload is being created: nobody else knows its id, so nobody competes for its
    /// space, and committing a reservation would create its record too early.
    /// </summary>
    bool RecordExists { get; }

    /// <summary>
    /// Commits <paramref name="storeState"/> as the upload's store state, everything else as it was
    /// when staging began, only if the writer's fencing token is still the newest.
    /// </summary>
    /// <exception cref="Coordination.LeaseLostException">A newer holder exists; nothing was written.</exception>
    /// <exception cref="InvalidOperationException">The record does not exist yet (<see cref="RecordExists"/>).</exception>
    ValueTask CommitStoreStateAsync(string? storeState, CancellationToken cancellationToken);
}
