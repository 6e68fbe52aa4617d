namespace TusCluster.Protocol.Storage;

/// <summary>
/// The store failed in a way worth retrying (I/O error, S3 5xx, disk full): answered with 503, or with
/// 507 Insufficient Storage when <see cref="OutOfSpace"/>; both with Retry-After.
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException()
    {
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The store has no room for the bytes (a full disk or quota): retrying helps once space is freed.</summary>
    public bool OutOfSpace { get; init; }
}
