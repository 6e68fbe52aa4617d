namespace TusCluster.Protocol.Storage;

/// <summary>The store failed in a way worth retrying (I/O error, S3 5xx, disk full): answered with 503.</summary>
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
}
