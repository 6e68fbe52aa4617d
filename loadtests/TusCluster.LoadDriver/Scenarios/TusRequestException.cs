namespace TusCluster.LoadDriver.Scenarios;

/// <summary>
/// A request failed (unexpected status, network error, timeout) and has already been counted; the
/// iteration ends and the virtual user goes on with the next one.
/// </summary>
internal sealed class TusRequestException : Exception
{
    public TusRequestException()
    {
    }

    public TusRequestException(string message)
        : base(message)
    {
    }

    public TusRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
