namespace TusCluster.Protocol.Coordination;

/// <summary>The upload's lease could not be had within the acquire timeout (answered with 423).</summary>
public sealed class LockTimeoutException : Exception
{
    public LockTimeoutException()
    {
    }

    public LockTimeoutException(string message)
        : base(message)
    {
    }

    public LockTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
