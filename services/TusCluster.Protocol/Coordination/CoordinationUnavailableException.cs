namespace TusCluster.Protocol.Coordination;

/// <summary>The coordination backend could not be reached or answered with an error (answered with 503).</summary>
public sealed class CoordinationUnavailableException : Exception
{
    public CoordinationUnavailableException()
    {
    }

    public CoordinationUnavailableException(string message)
        : base(message)
    {
    }

    public CoordinationUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
