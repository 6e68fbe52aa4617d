namespace TusCluster.Protocol.Coordination;

/// <summary>A newer holder took the upload over; the stale holder's write was not committed.</summary>
public sealed class LeaseLostException : Exception
{
    public LeaseLostException()
    {
    }

    public LeaseLostException(string message)
        : base(message)
    {
    }

    public LeaseLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
